package io.callsocket;

import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.ssl.SSLEngineConfigurator;
import org.glassfish.tyrus.server.TyrusServerContainer;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.File;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/**
 * wss:// for the embedded server. Tyrus's Grizzly container has no TLS setting (eclipse-ee4j/tyrus
 * issue 565, open since 2014) and keeps its Grizzly HttpServer private, so this takes the server
 * from it and swaps the plain listener for a TLS one carrying the same WebSocket add-on.
 */
final class EmbeddedTls {
    private static final String TYRUS_LISTENER = "grizzly";

    private EmbeddedTls() {
    }

    /** Serves wss:// on {@code settings.port()} instead of Tyrus's plain listener; returns the port. */
    static int serve(TyrusServerContainer container, Settings settings) throws IOException {
        SSLContext tls = context(settings);
        HttpServer server = EmbeddedServer.grizzlyOf(container);
        NetworkListener plain = server.getListener(TYRUS_LISTENER);
        NetworkListener secure = new NetworkListener("tls", plain.getHost(), settings.port());
        secure.setSecure(true);
        secure.setSSLEngineConfig(new SSLEngineConfigurator(tls, false, false, false));
        // As the plain listener: calls are long, and messages are handled on the selector thread.
        secure.getKeepAlive().setIdleTimeoutInSeconds(-1);
        EmbeddedServer.handleOnSelectorThreads(secure);
        for (AddOn addOn : plain.getAddOns()) {
            secure.registerAddOn(addOn);
        }
        server.removeListener(TYRUS_LISTENER);
        // Grizzly starts a listener added to a running server, and only logs when that fails.
        server.addListener(secure);
        if (!secure.isStarted()) {
            throw new IOException("cannot listen for wss:// on port " + settings.port());
        }
        return secure.getPort();
    }

    private static SSLContext context(Settings settings) {
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
}
