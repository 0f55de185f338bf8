package io.callsocket;

import io.callsocket.store.JdbcCallStore;
import io.callsocket.store.TestPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server as its own JVM, killed without a clean shutdown after the platform was told its CDRs
 * were kept (close 1000): after a restart, every one of them is in the database, once.
 */
class RecordsSurviveTest {
    private static final int CALLS = 20;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern LISTENING = Pattern.compile("CallSocket listening on ws://localhost:(\\d+)/");

    @TempDir
    Path dir;

    /** h2: the default database, up all along; postgres: down while the calls run, started after the kill. */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void acknowledgedRecordsSurviveAKill(String database) throws Exception {
        Path data = dir.resolve("data");
        int pgPort = TestPostgres.freePort();
        String jdbcUrl = database.equals("h2") ? "h2" : TestPostgres.url(pgPort);
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--port=0", "--dataDir=" + data,
                "--jdbcUrl=" + jdbcUrl, "--dbRetryDelay=100", "--hangupDelay=60000")
                .redirectErrorStream(true).start();
        EmbeddedPostgres postgres = null;
        try {
            URI uri = URI.create("ws://localhost:" + port(server) + "/");
            for (int i = 0; i < CALLS; i++) {
                try (PlatformClient platform = PlatformClient.connect(uri)) {
                    platform.incomingCall("survivor-" + i);
                    platform.expectText("{\"event\":\"answer\"}");
                    platform.send("{\"event\":\"hangup\"}");
                    platform.cdr("survivor-" + i);
                    assertEquals(1000, platform.awaitClose().code(), "acknowledged");
                }
            }
            server.destroyForcibly();
            assertTrue(server.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS));

            if (database.equals("postgres")) {
                postgres = TestPostgres.start(dir.resolve("pg"), pgPort);
            }
            Settings settings = Settings.from(Map.of("port", "0", "dataDir", data.toString(), "jdbcUrl", jdbcUrl,
                    "dbRetryDelay", "100")::get);
            try (EmbeddedServer restarted = EmbeddedServer.start(settings)) {
                JdbcCallStore store = (JdbcCallStore) restarted.calls().store();
                assertTrue(store.awaitIdle(WAIT), "the spool left by the killed server is replayed");
                // Only our calls: anything on this machine may have opened a connection to the port.
                List<CallRecord> ours = store.recent(1000).stream()
                        .filter(r -> r.sessionId() != null && r.sessionId().startsWith("survivor-")).toList();
                assertEquals(CALLS, ours.size(), "every acknowledged call once: " + ours);
                assertEquals(CALLS, ours.stream().filter(r -> r.cdr() != null).map(CallRecord::sessionId).distinct().count());
            }
        } finally {
            server.destroyForcibly();
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    /** Reads the server's log until it names its port. */
    private static int port(Process server) throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (java.io.IOException ended) {
                // the process is gone
            }
        }, "server-log");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertNotNull(line, "the server did not say it is listening within " + WAIT);
            Matcher listening = LISTENING.matcher(line);
            if (listening.find()) {
                return Integer.parseInt(listening.group(1));
            }
        }
    }
}
