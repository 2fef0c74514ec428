package io.cnn4j.spark;

import io.cnn4j.train.GradientSum;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Sums float arrays across N workers over direct TCP connections, one between every two workers: a
 * reduce-scatter, in which worker {@code c} receives everybody's chunk {@code c} and adds the chunks in
 * rank order, {@code ((v0 + v1) + v2) + ...}, then an all-gather, in which it sends its summed chunk to
 * everybody. Each worker sends and receives {@code 2 (N - 1) / N} of the array, as a ring all-reduce does,
 * in two rounds instead of {@code 2 (N - 1)}; and the sum is the same float for float whichever worker adds
 * a chunk, equal to what one process {@linkplain io.cnn4j.train.Trainer#accumulate accumulating} N
 * micro-batches computes.
 *
 * <p>Every read waits at most the timeout: a peer that died (its connection closes at once) or hangs fails
 * the call with a {@link PeerFailedException} naming it, and the others, whose reads from this worker then
 * fail, follow promptly. Not for concurrent use: one call at a time, the same calls in the same order on
 * every worker.
 */
public final class SocketAllReduce implements GradientSum, AutoCloseable {
    /** Written first on every connection, so that a stray client is told apart from a peer. */
    private static final int MAGIC = 0x636e6e34;

    private final int rank;
    private final List<InetSocketAddress> addresses;
    private final Socket[] sockets;
    private final DataInputStream[] in;
    private final DataOutputStream[] out;
    private final ExecutorService senders;
    private final int timeoutMillis;
    /** The first failure, from whichever thread met it: the cause the others' errors are reported as. */
    private volatile PeerFailedException failure;
    private int calls;
    private long sums;
    private long sumNanos;
    /** Reused from call to call, so that a steady step allocates nothing here: one send buffer per peer. */
    private final byte[][] sendBuffers;
    private byte[] buffer = new byte[0];
    private float[] sum = new float[0];
    private float[] own = new float[0];
    private float[] chunk = new float[0];

    private SocketAllReduce(int rank, List<InetSocketAddress> addresses, Socket[] sockets, int timeoutMillis)
            throws IOException {
        this.rank = rank;
        this.timeoutMillis = timeoutMillis;
        this.addresses = addresses;
        this.sockets = sockets;
        int n = addresses.size();
        sendBuffers = new byte[n][0];
        in = new DataInputStream[n];
        out = new DataOutputStream[n];
        for (int r = 0; r < n; r++) {
            if (r != rank) {
                in[r] = new DataInputStream(new BufferedInputStream(sockets[r].getInputStream(), 1 << 16));
                out[r] = new DataOutputStream(new BufferedOutputStream(sockets[r].getOutputStream(), 1 << 16));
            }
        }
        senders = Executors.newFixedThreadPool(Math.max(1, n - 1), task -> {
            Thread t = new Thread(task, "cnn4j-allreduce-send");
            t.setDaemon(true);
            return t;
        });
    }

    /** A server socket on a free port of this host, for {@link #connect}: its address is what the others need. */
    public static ServerSocket listen() throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(0), 64);
        return server;
    }

    /**
     * Connects worker {@code rank} to every other in {@code addresses} (indexed by rank; this worker's own
     * is {@code server}'s): it connects to the lower ranks and accepts the higher ones. Waits at most
     * {@code timeout} for any peer, then and on every later read.
     */
    public static SocketAllReduce connect(int rank, List<InetSocketAddress> addresses, ServerSocket server,
                                          Duration timeout) throws IOException {
        int n = addresses.size();
        Objects.checkIndex(rank, n);
        int millis = Math.toIntExact(Math.max(1, timeout.toMillis()));
        Socket[] sockets = new Socket[n];
        try {
            for (int r = 0; r < rank; r++) {
                InetSocketAddress address = addresses.get(r);
                Socket s = new Socket();
                sockets[r] = s;
                try {
                    s.connect(address, millis);
                    configure(s, millis);
                    var hello = new DataOutputStream(s.getOutputStream());
                    hello.writeInt(MAGIC);
                    hello.writeInt(rank);
                    hello.writeInt(n);
                    hello.flush();
                } catch (IOException e) {
                    throw new PeerFailedException(r, address, "could not be reached: " + e.getMessage(), e);
                }
            }
            server.setSoTimeout(millis);
            for (int accepted = rank + 1; accepted < n; accepted++) {
                Socket s;
                try {
                    s = server.accept();
                } catch (SocketTimeoutException e) {
                    throw new PeerFailedException(firstMissing(sockets, rank + 1), addresses.get(firstMissing(sockets, rank + 1)),
                            "did not connect within " + timeout.toSeconds() + " s", e);
                }
                configure(s, millis);
                var hello = new DataInputStream(s.getInputStream());
                int magic = hello.readInt();
                int peer = hello.readInt();
                int world = hello.readInt();
                if (magic != MAGIC || peer <= rank || peer >= n || world != n || sockets[peer] != null) {
                    s.close();
                    accepted--;
                    continue;
                }
                sockets[peer] = s;
            }
            return new SocketAllReduce(rank, List.copyOf(addresses), sockets, millis);
        } catch (IOException | RuntimeException e) {
            closeAll(sockets);
            throw e;
        }
    }

    private static int firstMissing(Socket[] sockets, int from) {
        for (int r = from; r < sockets.length; r++) {
            if (sockets[r] == null) {
                return r;
            }
        }
        return from;
    }

    private static void configure(Socket s, int millis) throws IOException {
        s.setSoTimeout(millis);
        s.setTcpNoDelay(true);
        s.setSendBufferSize(1 << 20);
        s.setReceiveBufferSize(1 << 20);
    }

    /** This worker's rank. */
    public int rank() {
        return rank;
    }

    /** The number of workers. */
    public int size() {
        return addresses.size();
    }

    /** The first value of chunk {@code c} of an array of {@code length}: chunk c is summed by worker c. */
    static int chunkStart(int c, int n, int length) {
        return (int) ((long) c * length / n);
    }

    @Override
    public void sumInPlace(float[] values) {
        int n = size();
        if (n == 1) {
            return;
        }
        long start = System.nanoTime();
        sums++;
        try {
            sumChunks(values, n);
        } finally {
            sumNanos += System.nanoTime() - start;
        }
    }

    /** The mean time of a {@link #sumInPlace} call so far, in seconds: waiting for the slowest peer included. */
    public double meanSumSeconds() {
        return sums == 0 ? 0 : sumNanos / 1e9 / sums;
    }

    private void sumChunks(float[] values, int n) {
        int call = ++calls;
        int from = chunkStart(rank, n, values.length);
        int to = chunkStart(rank + 1, n, values.length);
        // Reduce-scatter: everybody's chunk `rank` comes here and is added in rank order.
        List<Future<?>> sent = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            if (r != rank) {
                int peer = r;
                sent.add(senders.submit(() -> send(peer, call, values, chunkStart(peer, n, values.length),
                        chunkStart(peer + 1, n, values.length))));
            }
        }
        int length = to - from;
        if (sum.length < length) {
            sum = new float[length];
            own = new float[length];
            chunk = new float[length];
        }
        System.arraycopy(values, from, own, 0, length);
        for (int r = 0; r < n; r++) {
            float[] v = r == rank ? own : receive(r, call, chunk, 0, length);
            for (int i = 0; i < length; i++) {
                sum[i] = r == 0 ? v[i] : sum[i] + v[i];
            }
        }
        awaitSent(sent);
        System.arraycopy(sum, 0, values, from, length);
        // All-gather: every chunk's sum goes from its worker to all the others.
        sent.clear();
        for (int r = 0; r < n; r++) {
            if (r != rank) {
                int peer = r;
                sent.add(senders.submit(() -> send(peer, -call, values, from, to)));
            }
        }
        for (int r = 0; r < n; r++) {
            if (r != rank) {
                int start = chunkStart(r, n, values.length);
                receive(r, -call, values, start, chunkStart(r + 1, n, values.length) - start);
            }
        }
        awaitSent(sent);
    }

    private Void send(int peer, int call, float[] values, int from, int to) {
        int bytes = (to - from) * Float.BYTES;
        if (sendBuffers[peer].length < bytes) {
            sendBuffers[peer] = new byte[bytes];
        }
        ByteBuffer.wrap(sendBuffers[peer]).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(values, from, to - from);
        return sendBytes(peer, call, sendBuffers[peer], bytes);
    }

    private Void sendBytes(int peer, int call, byte[] bytes, int length) {
        try {
            DataOutputStream o = out[peer];
            o.writeInt(call);
            o.writeInt(length);
            o.write(bytes, 0, length);
            o.flush();
            return null;
        } catch (IOException e) {
            throw failed(peer, "could not be sent to: " + e.getMessage(), e);
        }
    }

    /** Reads {@code count} floats from {@code peer} into {@code into} from {@code at}, and returns {@code into}. */
    private float[] receive(int peer, int call, float[] into, int at, int count) {
        byte[] bytes = receiveBytes(peer, call, count * Float.BYTES);
        ByteBuffer.wrap(bytes, 0, count * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(into, at, count);
        return into;
    }

    /** The next message from {@code peer}, which must belong to {@code call} and hold {@code expected} bytes (-1: any). */
    private byte[] receiveBytes(int peer, int call, int expected) {
        try {
            DataInputStream i = in[peer];
            int gotCall = i.readInt();
            int count = i.readInt();
            if (gotCall != call || expected >= 0 && count != expected || count < 0) {
                throw failed(peer, "is out of step: it sent " + count + " bytes for call " + gotCall + " where "
                        + (expected >= 0 ? expected + " bytes" : "data") + " for call " + call + " were due (do all"
                        + " workers train the same model?)", null);
            }
            byte[] into = expected >= 0 && buffer.length >= count ? buffer : new byte[count];
            if (expected >= 0) {
                buffer = into;
            }
            i.readFully(into, 0, count);
            return into;
        } catch (SocketTimeoutException e) {
            throw failed(peer, "sent nothing for " + timeoutMillis + " ms", e);
        } catch (EOFException e) {
            throw failed(peer, "closed its connection (its process ended or failed)", e);
        } catch (IOException e) {
            throw failed(peer, "failed: " + e.getMessage(), e);
        }
    }

    /** Every worker's {@code mine}, by rank (this worker's own included, not copied). */
    public byte[][] allGather(byte[] mine) {
        int n = size();
        byte[][] all = new byte[n][];
        all[rank] = mine;
        if (n == 1) {
            return all;
        }
        int call = ++calls;
        List<Future<?>> sent = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            if (r != rank) {
                int peer = r;
                sent.add(senders.submit(() -> sendBytes(peer, call, mine, mine.length)));
            }
        }
        for (int r = 0; r < n; r++) {
            if (r != rank) {
                all[r] = receiveBytes(r, call, -1);
            }
        }
        awaitSent(sent);
        return all;
    }

    private void awaitSent(List<Future<?>> sent) {
        for (Future<?> f : sent) {
            try {
                f.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof PeerFailedException p ? p : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sending gradients", e);
            }
        }
    }

    /** Closes every connection, so that the peers' reads fail at once rather than at their timeout. */
    private PeerFailedException failed(int peer, String what, Throwable cause) {
        PeerFailedException e = new PeerFailedException(peer, addresses.get(peer), what, cause);
        synchronized (this) {
            if (failure == null) {
                failure = e;
            }
        }
        close();
        return failure;
    }

    @Override
    public void close() {
        senders.shutdownNow();
        closeAll(sockets);
    }

    private static void closeAll(Socket[] sockets) {
        for (Socket s : sockets) {
            if (s != null) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // Closing is best effort: the peer learns of it either way.
                }
            }
        }
    }
}
