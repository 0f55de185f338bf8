package io.callsocket;

import jakarta.websocket.DeploymentException;
import org.glassfish.tyrus.server.TyrusServerContainer;

import javax.net.ssl.SSLContext;
import java.io.IOException;

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
            SSLContext tls = settings.keystore().equals("none") ? null : EmbeddedListener.tls(settings);
            EmbeddedListener.Serving serving = EmbeddedListener.serve(calls.endpointConfig(), settings.port(), tls);
            return new EmbeddedServer(calls, serving.container(), serving.port());
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
