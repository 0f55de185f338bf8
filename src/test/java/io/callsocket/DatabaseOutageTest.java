package io.callsocket;

import io.callsocket.store.Database;
import io.callsocket.store.JdbcCallStore;
import io.callsocket.store.TestPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PostgreSQL stopped, or hanging, while calls end: every call is acknowledged and every record arrives once. */
class DatabaseOutageTest {
    private static final int CALLS = 50;
    private static final int BEFORE_OUTAGE = 10;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void databaseStoppedDuringFiftyConcurrentCallsThenStarted() throws Exception {
        int pgPort = TestPostgres.freePort();
        Path pgData = dir.resolve("pg");
        EmbeddedPostgres postgres = TestPostgres.start(pgData, pgPort);
        ExecutorService platforms = Executors.newFixedThreadPool(CALLS);
        // The server's hangup is far off: the calls end when the test says so.
        Settings settings = Settings.from(Map.of("port", "0", "hangupDelay", "60000", "dataDir",
                dir.resolve("data").toString(), "jdbcUrl", TestPostgres.url(pgPort), "dbRetryDelay", "100")::get);
        JdbcCallStore store = JdbcCallStore.open(settings);
        try (EmbeddedServer server = EmbeddedServer.start(CallServer.create(settings, store))) {
            URIs uri = new URIs(server.port());
            List<PlatformClient> calls = new ArrayList<>();
            for (int i = 0; i < CALLS; i++) {
                PlatformClient platform = PlatformClient.connect(uri.get());
                platform.incomingCall("outage-" + i);
                calls.add(platform);
            }
            for (PlatformClient platform : calls) {
                platform.expectText("{\"event\":\"answer\"}");
            }
            for (int i = 0; i < BEFORE_OUTAGE; i++) {
                end(calls.get(i), i);
            }
            assertTrue(store.awaitIdle(WAIT));
            assertEquals(BEFORE_OUTAGE, rows(TestPostgres.url(pgPort)));

            postgres.close();
            // The rest end at once while the database is down: each is acknowledged from the spool.
            List<CompletableFuture<Void>> ending = new ArrayList<>();
            for (int i = BEFORE_OUTAGE; i < CALLS; i++) {
                int call = i;
                ending.add(CompletableFuture.runAsync(() -> end(calls.get(call), call), platforms));
            }
            CompletableFuture.allOf(ending.toArray(CompletableFuture[]::new)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals(CALLS - BEFORE_OUTAGE, store.spooledRecords(), "waiting in the spool");

            postgres = TestPostgres.start(pgData, pgPort);
            assertTrue(store.awaitIdle(WAIT), "the spool drains once the database is back");
            assertEquals(CALLS, rows(TestPostgres.url(pgPort)));
            assertEquals(CALLS, count(TestPostgres.url(pgPort),
                    "SELECT COUNT(DISTINCT session_id) FROM calls WHERE session_id LIKE 'outage-%' AND cdr_json IS NOT NULL"));
            assertEquals(0, store.refusedRecords());
        } finally {
            platforms.shutdownNow();
            store.close();
            postgres.close();
        }
    }

    /** A database that takes no writes (a table lock held elsewhere) delays no call: the spool acknowledges. */
    @Test
    void aDatabaseThatHangsDelaysNoCall() throws Exception {
        String url = TestPostgres.newDatabase();
        Settings settings = Settings.from(Map.of("port", "0", "hangupDelay", "60000", "dataDir",
                dir.resolve("data").toString(), "jdbcUrl", url, "dbRetryDelay", "100")::get);
        JdbcCallStore store = JdbcCallStore.open(settings);
        try (EmbeddedServer server = EmbeddedServer.start(CallServer.create(settings, store))) {
            URIs uri = new URIs(server.port());
            call(uri, 0);
            assertTrue(store.awaitIdle(WAIT), "the schema is there and the first call written");
            try (Connection blocker = Database.ofUrl(url).connect(); Statement lock = blocker.createStatement()) {
                blocker.setAutoCommit(false);
                lock.execute("LOCK TABLE calls IN ACCESS EXCLUSIVE MODE");
                for (int i = 1; i <= 5; i++) {
                    call(uri, i);
                }
                assertEquals(5, store.spooledRecords(), "acknowledged while the database hangs");
                blocker.rollback();
            }
            assertTrue(store.awaitIdle(WAIT));
            assertEquals(6, rows(url));
        } finally {
            store.close();
        }
    }

    private static void call(URIs uri, int call) throws Exception {
        PlatformClient platform = PlatformClient.connect(uri.get());
        platform.incomingCall("outage-" + call);
        platform.expectText("{\"event\":\"answer\"}");
        end(platform, call);
    }

    private static void end(PlatformClient platform, int call) {
        try (platform) {
            platform.send("{\"event\":\"hangup\"}");
            platform.cdr("outage-" + call);
            assertEquals(1000, platform.awaitClose().code());
        } catch (Exception e) {
            throw new AssertionError("call " + call, e);
        }
    }

    static long rows(String url) throws Exception {
        return count(url, "SELECT COUNT(*) FROM calls");
    }

    static long count(String url, String sql) throws Exception {
        try (Connection c = Database.ofUrl(url).connect(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private record URIs(int port) {
        java.net.URI get() {
            return java.net.URI.create("ws://localhost:" + port + "/");
        }
    }
}
