package io.callsocket.containers;

import io.callsocket.CallCases;
import io.callsocket.CallTarget;
import io.callsocket.EmbeddedServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/** The shared call cases against the embedded server, plus wss:// with the keystore settings. */
class EmbeddedCallIT extends CallCases {
    private EmbeddedTarget embedded;

    @Override
    protected CallTarget start() throws Exception {
        embedded = EmbeddedTarget.start();
        return embedded;
    }

    @Test
    void callOverWss() throws Exception {
        Path keystore = Keystores.selfSigned(embedded.dir().resolve("callsocket.p12"));
        Map<String, String> tls = Map.of("keystore", keystore.toString(), "keystorePassword", Keystores.PASSWORD);
        try (EmbeddedServer server = EmbeddedServer.start(EmbeddedTarget.settings(embedded.dir().resolve("data-wss"), tls))) {
            secureCall(URI.create("wss://localhost:" + server.port() + "/"), Keystores.trusting(keystore));
        }
    }
}
