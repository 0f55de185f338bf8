package io.callsocket;

import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerEndpointConfig;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.ssl.SSLEngineConfigurator;
import org.glassfish.grizzly.strategies.SameThreadIOStrategy;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.ServerContainerFactory;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Map;

/**
 * Tyrus on Grizzly, listening through a listener of ours. Tyrus's own Grizzly container falls short
 * three ways, none of which it has a setting for:
 * <ul>
 * <li>it opens its port before it deploys the endpoints: a call that connects in between gets 404
 * (the benchmark saw it, connecting the moment the port opened);</li>
 * <li>it makes Grizzly hand every read to a worker thread: per audio frame a thread hand-off and
 * two changes of the socket's interest on the selector;</li>
 * <li>it has no TLS (eclipse-ee4j/tyrus issue 565, open since 2014).</li>
 * </ul>
 * So Tyrus starts on a free port nobody is told, and once its endpoints are deployed a listener of
 * ours, carrying Tyrus's WebSocket add-on, takes over on the real port.
 */
public final class EmbeddedListener {
    private static final String TYRUS_LISTENER = "grizzly";

    /** A started container and the port it serves on. */
    public record Serving(TyrusServerContainer container, int port) {
    }

    private EmbeddedListener() {
    }

    /**
     * Serves {@code endpoint} on {@code port} (0: any free one), over TLS when {@code tls} is not
     * null. CallSocket runs embedded this way, and so does the benchmark's bare echo, so the two
     * compare like for like.
     */
    public static Serving serve(ServerEndpointConfig endpoint, int port, SSLContext tls)
            throws IOException, DeploymentException {
        TyrusServerContainer container = (TyrusServerContainer) ServerContainerFactory.createServerContainer(Map.of());
        container.addEndpoint(endpoint);
        container.start("/", 0);
        try {
            return new Serving(container, takeOver(container, port, tls));
        } catch (IOException | RuntimeException e) {
            container.stop();
            throw e;
        }
    }

    private static int takeOver(TyrusServerContainer container, int port, SSLContext tls) throws IOException {
        HttpServer server = grizzlyOf(container);
        NetworkListener tyrus = server.getListener(TYRUS_LISTENER);
        NetworkListener ours = new NetworkListener("callsocket", tyrus.getHost(), port);
        if (tls != null) {
            ours.setSecure(true);
            ours.setSSLEngineConfig(new SSLEngineConfigurator(tls, false, false, false));
        }
        // As Tyrus sets its own: calls are long.
        ours.getKeepAlive().setIdleTimeoutInSeconds(-1);
        // No handler of ours blocks (sends are async, records go to the store's own thread), so a
        // message is handled on the selector thread that read it. At 1000 calls this took echo p50
        // from 8.8 to 0.6 ms and server CPU down 13% (see the commit that made it).
        ours.getTransport().setIOStrategy(SameThreadIOStrategy.getInstance());
        for (AddOn addOn : tyrus.getAddOns()) {
            ours.registerAddOn(addOn);
        }
        server.removeListener(TYRUS_LISTENER);
        // Grizzly starts a listener added to a running server, and only logs when that fails.
        server.addListener(ours);
        if (!ours.isStarted()) {
            throw new IOException("cannot listen for " + (tls != null ? "wss://" : "ws://") + " on port " + port);
        }
        return ours.getPort();
    }

    /** The TLS context for wss:// from the keystore settings. */
    static SSLContext tls(Settings settings) {
        char[] password = settings.keystorePassword().toCharArray();
        try {
            KeyStore store = KeyStore.getInstance(new File(settings.keystore()), password);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("setting keystore=" + LogText.quote(settings.keystore())
                    + " cannot be read with keystorePassword: " + e.getMessage(), e);
        }
    }

    /** Tyrus keeps its Grizzly server private. */
    private static HttpServer grizzlyOf(TyrusServerContainer container) {
        try {
            Field field = container.getClass().getDeclaredField("server");
            field.setAccessible(true);
            return (HttpServer) field.get(container);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("this Tyrus version keeps its Grizzly server elsewhere", e);
        }
    }
}
