package io.callsocket.sim;

import io.callsocket.EmbeddedListener;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;

/**
 * The benchmark's baseline: the same container (Tyrus on Grizzly, set up as CallSocket's embedded
 * server) with no call logic. It answers incoming_call, echoes audio, and closes after the CDR, so
 * the simulator can play the same calls.
 */
public final class BareEchoServer extends Endpoint {

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        // As CallSocket's endpoint: no idle timeout, which Tyrus would re-arm on every frame.
        session.setMaxIdleTimeout(-1);
        session.addMessageHandler(String.class, text -> {
            try {
                if (text.contains("\"incoming_call\"")) {
                    // Async, as CallSocket sends: a blocking send would wait on the selector thread.
                    session.getAsyncRemote().sendText("{\"event\":\"answer\"}");
                } else if (text.contains("\"cdr\"")) {
                    session.close(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "call complete"));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        // Sent the way CallSocket sends (async, from a copy), so the ratio measures its logic, not
        // a different send path.
        session.addMessageHandler(ByteBuffer.class, frame -> session.getAsyncRemote().sendBinary(
                ByteBuffer.allocate(frame.remaining()).put(frame).flip()));
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0].replace("--port=", "")) : 4143;
        EmbeddedListener.Serving serving = EmbeddedListener.serve(
                ServerEndpointConfig.Builder.create(BareEchoServer.class, "/").build(), port, null);
        System.err.println("bare echo listening on ws://localhost:" + serving.port() + "/");
        Runtime.getRuntime().addShutdownHook(new Thread(serving.container()::stop));
        new CountDownLatch(1).await();
    }
}
