package io.callsocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A platform that connects the moment the port opens is upgraded, not refused: Tyrus's own Grizzly
 * listener opens before the endpoints are deployed and answered such a connection with 404.
 */
class EmbeddedStartTest {
    private static final int PLATFORMS = 8;

    @Test
    void theFirstConnectionTheServerAcceptsIsUpgraded(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        // Several platforms at once, each connecting as soon as anything listens, as after a restart.
        List<CompletableFuture<String>> firstAnswers = new ArrayList<>();
        ExecutorService platforms = Executors.newFixedThreadPool(PLATFORMS);
        for (int i = 0; i < PLATFORMS; i++) {
            firstAnswers.add(CompletableFuture.supplyAsync(() -> firstStatusLine(port), platforms));
        }
        Map<String, String> settings = Map.of("port", String.valueOf(port), "dataDir", dir.resolve("data").toString());
        try (EmbeddedServer server = EmbeddedServer.start(Settings.from(settings::get))) {
            for (CompletableFuture<String> answer : firstAnswers) {
                assertEquals("HTTP/1.1 101 Switching Protocols", answer.get(20, TimeUnit.SECONDS));
            }
        } finally {
            platforms.shutdownNow();
        }
    }

    /** Connects as soon as anything listens on the port (for 20 s at most) and asks for an upgrade. */
    private static String firstStatusLine(int port) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket("localhost", port)) {
                socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: localhost:" + port
                        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            } catch (ConnectException notListeningYet) {
                // try again at once: the point is to be the first
            } catch (IOException e) {
                return "connection failed: " + e;
            }
        }
        return "nothing listened within 20 s";
    }
}
