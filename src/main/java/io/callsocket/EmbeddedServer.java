package io.callsocket;

import jakarta.websocket.DeploymentException;
import org.glassfish.tyrus.core.TyrusWebSocketEngine;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.ServerContainerFactory;

import java.io.IOException;
import java.util.Map;

/** CallSocket on Tyrus with Grizzly, outside any container: used by {@link Main} and by the tests. */
public final class EmbeddedServer implements AutoCloseable {
    /** A WebSocket frame header is at most 14 bytes. */
    private static final int MAX_FRAME_HEADER = 14;

    private final CallServer calls;
    private final TyrusServerContainer container;

    private EmbeddedServer(CallServer calls, TyrusServerContainer container) {
        this.calls = calls;
        this.container = container;
    }

    /** Starts on {@code settings.port()}; port 0 takes a free one, see {@link #port()}. */
    public static EmbeddedServer start(Settings settings) throws IOException, DeploymentException {
        return start(CallServer.create(settings));
    }

    public static EmbeddedServer start(CallServer calls) throws IOException, DeploymentException {
        Settings settings = calls.settings();
        try {
            // Tyrus closes a connection with 1009 when a frame outgrows this buffer; it is the only
            // limit it applies to a text message bound for a programmatic endpoint.
            int frameLimit = Math.max(settings.maxTextMessage(), settings.maxBinaryMessage()) + MAX_FRAME_HEADER;
            TyrusServerContainer container = (TyrusServerContainer) ServerContainerFactory.createServerContainer(
                    Map.of(TyrusWebSocketEngine.INCOMING_BUFFER_SIZE, frameLimit));
            container.addEndpoint(calls.endpointConfig());
            container.start("/", settings.port());
            return new EmbeddedServer(calls, container);
        } catch (IOException | DeploymentException | RuntimeException e) {
            calls.close();
            throw e;
        }
    }

    public int port() {
        return container.getPort();
    }

    public CallServer calls() {
        return calls;
    }

    @Override
    public void close() {
        container.stop();
        calls.close();
    }
}
