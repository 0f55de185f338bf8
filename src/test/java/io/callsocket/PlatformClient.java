package io.callsocket;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Plays the telephony platform in tests: a real WebSocket client (the JDK's) that queues what it receives. */
final class PlatformClient implements WebSocket.Listener, AutoCloseable {
    /** Longer than any gap between two messages of a test call (the defaults' dtmf-to-hangup is 10 s). */
    static final Duration WAIT = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    record Closed(int code, String reason) {
    }

    final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    final BlockingQueue<ByteBuffer> frames = new LinkedBlockingQueue<>();
    final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final StringBuilder partialText = new StringBuilder();
    private ByteBuffer partialFrame = ByteBuffer.allocate(0);
    private final WebSocket socket;
    /** While paused the client reads nothing, so TCP pushes back on the server, as a stalled platform would. */
    private volatile boolean paused;

    private PlatformClient(HttpClient http, URI uri) {
        socket = http.newWebSocketBuilder().connectTimeout(WAIT).buildAsync(uri, this).join();
    }

    static PlatformClient connect(URI uri) {
        return new PlatformClient(HTTP, uri);
    }

    /** wss:// trusting what {@code tls} trusts (a test's self-signed certificate). */
    static PlatformClient connect(URI uri, SSLContext tls) {
        return new PlatformClient(HttpClient.newBuilder().sslContext(tls).build(), uri);
    }

    void send(String json) {
        socket.sendText(json, true).join();
    }

    void sendAudio(byte[] frame) {
        socket.sendBinary(ByteBuffer.wrap(frame), true).join();
    }

    void incomingCall(String sessionId) {
        send("{\"event\":\"incoming_call\",\"callerId\":\"+15551230001\",\"didNumber\":\"+15559870002\",\"sessionId\":\""
                + sessionId + "\"}");
    }

    void cdr(String sessionId) {
        send(Cdrs.json(sessionId));
    }

    /** The next text frame; fails the test if none comes in time. */
    String nextText() throws InterruptedException {
        String text = texts.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(text, "no text frame within " + WAIT);
        return text;
    }

    void expectText(String json) throws InterruptedException {
        assertEquals(json, nextText());
    }

    ByteBuffer nextFrame() throws InterruptedException {
        ByteBuffer frame = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(frame, "no audio frame within " + WAIT);
        return frame;
    }

    Closed awaitClose() throws Exception {
        return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    void pauseReading() {
        paused = true;
    }

    void resumeReading() {
        paused = false;
        socket.request(1);
    }

    /** Drops the TCP connection without a close handshake, as a crashed platform would. */
    void drop() {
        socket.abort();
    }

    @Override
    public void close() {
        socket.abort();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partialText.append(data);
        if (last) {
            texts.add(partialText.toString());
            partialText.setLength(0);
        }
        if (!paused) {
            webSocket.request(1);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        partialFrame = ByteBuffer.allocate(partialFrame.remaining() + data.remaining()).put(partialFrame).put(data).flip();
        if (last) {
            frames.add(partialFrame);
            partialFrame = ByteBuffer.allocate(0);
        }
        if (!paused) {
            webSocket.request(1);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(new Closed(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }
}
