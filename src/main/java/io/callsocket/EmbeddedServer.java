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
    private final int port;

    private EmbeddedServer(CallServer calls, TyrusServerContainer container, int port) {
        this.calls = calls;
        this.container = container;
        this.port = port;
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
            boolean tls = !settings.keystore().equals("none");
            // With a keystore, Tyrus's plain listener (on any free port) gives way to a TLS one on the port.
            container.start("/", tls ? 0 : settings.port());
            if (!tls) {
                return new EmbeddedServer(calls, container, container.getPort());
            }
            try {
                return new EmbeddedServer(calls, container, EmbeddedTls.serve(container, settings));
            } catch (IOException | RuntimeException e) {
                container.stop();
                throw e;
            }
        } catch (IOException | DeploymentException | RuntimeException e) {
            calls.close();
            throw e;
        }
    }

    public int port() {
        return port;
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
