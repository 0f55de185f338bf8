package io.callsocket;

import jakarta.websocket.DeploymentException;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.ServerContainerFactory;

import java.io.IOException;
import java.util.Map;

/** CallSocket on Tyrus with Grizzly, outside any container: used by {@link Main} and by the tests. */
public final class EmbeddedServer implements AutoCloseable {

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
            TyrusServerContainer container = (TyrusServerContainer) ServerContainerFactory.createServerContainer(Map.of());
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
        calls.close();
        container.stop();
    }
}
