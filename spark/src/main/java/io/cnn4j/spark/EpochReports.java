package io.cnn4j.spark;

import io.cnn4j.train.EpochMetrics;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.function.Consumer;

/**
 * Each epoch's metrics, from rank 0 to the driver as the epoch ends, so that the driver reports progress
 * while the barrier stage runs (Spark returns the tasks' results only when they end). The driver listens;
 * rank 0 of every attempt connects and sends one message per epoch. Progress only: a worker that cannot
 * reach the driver trains on, and the driver gets every epoch at the end in any case.
 */
final class EpochReports implements AutoCloseable {
    private final ServerSocket server;
    private final Thread reader;

    /** Where rank 0 sends its epochs: the driver's host and this listener's port. */
    record Address(String host, int port) implements Serializable {
    }

    private EpochReports(ServerSocket server, Consumer<EpochMetrics> onEpoch) {
        this.server = server;
        reader = Thread.ofPlatform().daemon().name("cnn4j-epoch-reports").start(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept(); var in = new DataInputStream(s.getInputStream())) {
                    while (true) {
                        double[] v = new double[in.readInt()];
                        for (int i = 0; i < v.length; i++) {
                            v[i] = in.readDouble();
                        }
                        onEpoch.accept(WorkerReport.decode(v));
                    }
                } catch (IOException e) {
                    // The attempt ended (or failed): the next one connects anew.
                }
            }
        });
    }

    /** Listens for rank 0's epochs, handing each to {@code onEpoch} on a thread of its own. */
    static EpochReports listen(Consumer<EpochMetrics> onEpoch) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(0));
        return new EpochReports(server, onEpoch);
    }

    int port() {
        return server.getLocalPort();
    }

    /**
     * Stops listening, once the last epochs sent have been handed on: rank 0 closes its connection before
     * its task ends, so the reader is at most a moment behind.
     */
    @Override
    public void close() throws IOException {
        server.close();
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Rank 0's end: sends epochs to the driver while it can, and stops trying once it cannot. */
    static final class Sender implements AutoCloseable {
        private Socket socket;
        private DataOutputStream out;

        Sender(Address address, int timeoutMillis) {
            try {
                socket = new Socket();
                socket.connect(new InetSocketAddress(address.host(), address.port()), timeoutMillis);
                out = new DataOutputStream(socket.getOutputStream());
            } catch (IOException e) {
                close();
            }
        }

        void send(double[] epoch) {
            if (out == null) {
                return;
            }
            try {
                out.writeInt(epoch.length);
                for (double v : epoch) {
                    out.writeDouble(v);
                }
                out.flush();
            } catch (IOException e) {
                close();
            }
        }

        @Override
        public void close() {
            out = null;
            try {
                if (socket != null) {
                    socket.close();
                }
            } catch (IOException ignored) {
                // Progress only: nothing to do.
            }
        }
    }
}
