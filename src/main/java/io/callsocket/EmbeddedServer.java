package io.callsocket;

import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerEndpointConfig;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.strategies.SameThreadIOStrategy;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.ServerContainerFactory;

import java.io.IOException;
import java.lang.reflect.Field;
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
            boolean tls = !settings.keystore().equals("none");
            // With a keystore, Tyrus's plain listener (on any free port) gives way to a TLS one on the port.
            TyrusServerContainer container = startContainer(calls.endpointConfig(), tls ? 0 : settings.port());
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

    /**
     * Tyrus on Grizzly with one endpoint, as CallSocket runs embedded; the benchmark's bare echo
     * runs on the same, so the two compare like for like.
     */
    public static TyrusServerContainer startContainer(ServerEndpointConfig endpoint, int port)
            throws IOException, DeploymentException {
        TyrusServerContainer container = (TyrusServerContainer) ServerContainerFactory.createServerContainer(Map.of());
        container.addEndpoint(endpoint);
        container.start("/", port);
        for (NetworkListener listener : grizzlyOf(container).getListeners()) {
            handleOnSelectorThreads(listener);
        }
        return container;
    }

    /**
     * Tyrus sets Grizzly to hand every read to a worker thread, and offers no setting against it: per
     * audio frame a thread hand-off and two changes of the socket's interest on the selector. No
     * handler of ours blocks (sends are async, records go to the store's own thread), so messages are
     * handled on the selector thread that read them. Measured at 1000 calls: echo p50 from 8.8 to
     * 0.6 ms, server CPU 13% less (bench/results/benchmark.md). Grizzly reads the strategy per
     * event, so setting it on the started listener takes effect for every connection.
     */
    static void handleOnSelectorThreads(NetworkListener listener) {
        listener.getTransport().setIOStrategy(SameThreadIOStrategy.getInstance());
    }

    /** Tyrus keeps its Grizzly server private, and offers neither TLS nor a choice of I/O strategy. */
    static HttpServer grizzlyOf(TyrusServerContainer container) {
        try {
            Field field = container.getClass().getDeclaredField("server");
            field.setAccessible(true);
            return (HttpServer) field.get(container);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("this Tyrus version keeps its Grizzly server elsewhere", e);
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
