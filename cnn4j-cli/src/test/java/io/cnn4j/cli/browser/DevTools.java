package io.cnn4j.cli.browser;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A Chrome DevTools Protocol connection over the JDK's WebSocket client: commands with their replies, and
 * events to listeners. Every wait is bounded, so a browser that stops answering fails a test instead of
 * hanging the build.
 */
final class DevTools implements AutoCloseable {
    private final HttpClient client;
    private WebSocket socket;
    private final Object sending = new Object();
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonObject>> replies = new ConcurrentHashMap<>();
    private final List<Consumer<JsonObject>> listeners = new CopyOnWriteArrayList<>();
    private final Duration timeout;

    private DevTools(HttpClient client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    /** Connects to the browser's endpoint; {@code timeout} bounds the connection and every later command. */
    static DevTools connect(URI endpoint, Duration timeout) throws IOException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build();
        DevTools devTools = new DevTools(client, timeout);
        try {
            devTools.socket = client.newWebSocketBuilder().connectTimeout(timeout).buildAsync(endpoint, devTools.new Receiver())
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return devTools;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to the browser at " + endpoint, e);
        } catch (ExecutionException | TimeoutException e) {
            client.close();
            throw new IOException("could not connect to the browser's DevTools endpoint " + endpoint + " within "
                    + timeout.toSeconds() + " s", e);
        }
    }

    /** Sends {@code method} (to a page's session, or to the browser where {@code session} is null) and returns its result. */
    JsonObject call(String session, String method, JsonObject params) throws IOException {
        int id = ids.incrementAndGet();
        JsonObject message = new JsonObject();
        message.addProperty("id", id);
        message.addProperty("method", method);
        message.add("params", params == null ? new JsonObject() : params);
        if (session != null) {
            message.addProperty("sessionId", session);
        }
        CompletableFuture<JsonObject> reply = new CompletableFuture<>();
        replies.put(id, reply);
        try {
            // The WebSocket takes one message at a time: a send waits for the one before.
            synchronized (sending) {
                socket.sendText(message.toString(), true).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            JsonObject answer = reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (answer.has("error")) {
                throw new IOException(method + " failed in the browser: " + answer.getAsJsonObject("error").get("message").getAsString());
            }
            return answer.getAsJsonObject("result");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the browser's answer to " + method, e);
        } catch (ExecutionException e) {
            throw new IOException(method + ": the connection to the browser failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the browser did not answer " + method + " within " + timeout.toSeconds() + " s", e);
        } finally {
            replies.remove(id);
        }
    }

    /** Calls {@code listener} with every event ({@code method}, {@code params}, {@code sessionId}) until it is removed. */
    Runnable listen(Consumer<JsonObject> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void received(String text) {
        JsonObject message = JsonParser.parseString(text).getAsJsonObject();
        if (message.has("id")) {
            CompletableFuture<JsonObject> reply = replies.get(message.get("id").getAsInt());
            if (reply != null) {
                reply.complete(message);
            }
        } else {
            listeners.forEach(listener -> listener.accept(message));
        }
    }

    private void failed(Throwable error) {
        replies.values().forEach(reply -> reply.completeExceptionally(error));
    }

    @Override
    public void close() {
        socket.abort();
        client.close();
    }

    /** Puts the text frames of a message together (a screenshot arrives in many) and hands each whole message on. */
    private final class Receiver implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                received(text);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
            failed(new IOException("the browser closed the connection (" + status + ")"));
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            failed(error);
        }
    }
}
