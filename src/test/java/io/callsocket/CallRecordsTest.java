package io.callsocket;

import io.callsocket.store.Database;
import io.callsocket.store.JdbcCallStore;
import io.callsocket.store.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Call records in a real database (H2 and PostgreSQL), through a real WebSocket call. */
class CallRecordsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dataDir;

    private EmbeddedServer server;
    private JdbcCallStore store;
    /** The records as the store acknowledges them (spooled), for a test to wait on. */
    private TestServer.RecordingStore acknowledged;
    private String jdbcUrl;

    private JdbcCallStore start(String database) throws Exception {
        return start(Map.of("jdbcUrl", database.equals("h2") ? "h2" : TestPostgres.newDatabase()));
    }

    private JdbcCallStore start(Map<String, String> settings) throws Exception {
        Map<String, String> values = new HashMap<>(Map.of("port", "0", "dtmfDelay", "100", "hangupDelay", "300",
                "dataDir", dataDir.toString()));
        values.putAll(settings);
        Settings parsed = Settings.from(values::get);
        jdbcUrl = Database.url(parsed);
        store = JdbcCallStore.open(parsed);
        acknowledged = new TestServer.RecordingStore(store);
        server = EmbeddedServer.start(CallServer.create(parsed, acknowledged));
        return store;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (store != null) {
            store.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void fullCallLeavesOneRowWithTheRecordAndTheCdr(String database) throws Exception {
        JdbcCallStore store = start(database);
        try (PlatformClient platform = PlatformClient.connect(uri())) {
            platform.incomingCall("full-1");
            platform.expectText("{\"event\":\"answer\"}");
            byte[] frame = PublishedFlowTest.frame(7);
            platform.sendAudio(frame);
            assertArrayEquals(frame, PublishedFlowTest.bytes(platform.nextFrame()));
            platform.send("{\"event\":\"dtmf\",\"digit\":\"5\"}");
            platform.expectText("{\"event\":\"dtmf\",\"digit\":\"1\",\"duration\":200}");
            platform.expectText("{\"event\":\"hangup\"}");
            platform.cdr("full-1");
            assertEquals(new PlatformClient.Closed(1000, "call complete"), platform.awaitClose());
        }
        assertTrue(store.awaitIdle(WAIT));

        assertEquals(1, count("SELECT COUNT(*) FROM calls"));
        Map<String, Object> row = row("full-1");
        assertEquals("+15551230001", row.get("caller_id"));
        assertEquals("+15559870002", row.get("did_number"));
        assertEquals("server", row.get("ended_by"));
        assertEquals("5", row.get("digits_received"));
        assertEquals("1", row.get("digits_sent"));
        assertEquals(1L, ((Number) row.get("audio_frames_in")).longValue());
        assertEquals(320L, ((Number) row.get("audio_bytes_out")).longValue());
        assertEquals("full-1", row.get("cdr_session_id"));
        assertEquals(false, row.get("cdr_session_mismatch"));
        assertEquals("+15559870002", row.get("cdr_destination"));
        assertEquals(12, ((Number) row.get("cdr_duration")).intValue());
        assertEquals(12, ((Number) row.get("cdr_billable_seconds")).intValue());
        assertEquals("ANSWERED", row.get("cdr_disposition"));
        assertEquals("CALLEE", row.get("cdr_hangup_by"));
        assertEquals(16, ((Number) row.get("cdr_hangup_cause_code")).intValue());
        assertEquals("Normal Clearing", row.get("cdr_hangup_cause_text"));
        assertEquals(Cdrs.json("full-1"), row.get("cdr_json"), "the CDR exactly as sent");

        CallRecord record = store.find("full-1").orElseThrow();
        assertEquals(EndedBy.SERVER, record.endedBy());
        assertEquals(Cdrs.json("full-1"), record.cdr().json());
        assertEquals("12", record.cdr().duration());
        assertEquals(Instant.parse("2026-11-24T12:00:12Z"), row.get("cdr_end_time"));
        assertTrue(!record.connectedAt().isAfter(record.answeredAt()) && !record.endedAt().isAfter(record.closedAt()));
        assertEquals(List.of(record), store.recent(10));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aCdrIsStoredOnceWhenSentTwiceOrAfterAReconnect(String database) throws Exception {
        JdbcCallStore store = start(database);
        // Twice on one connection: the second may come before the close.
        try (PlatformClient platform = PlatformClient.connect(uri())) {
            platform.incomingCall("twice");
            platform.expectText("{\"event\":\"answer\"}");
            platform.send(cdr("twice", "\"destination\":\"first\""));
            platform.send(cdr("twice", "\"destination\":\"second\""));
            assertEquals(1000, platform.awaitClose().code());
        }
        // After a reconnect under the same sessionId: acknowledged, and the stored CDR stays.
        for (String destination : List.of("first", "again")) {
            try (PlatformClient platform = PlatformClient.connect(uri())) {
                platform.incomingCall("reconnect");
                platform.expectText("{\"event\":\"answer\"}");
                platform.send("{\"event\":\"hangup\"}");
                platform.send(cdr("reconnect", "\"destination\":\"" + destination + "\""));
                assertEquals(1000, platform.awaitClose().code());
            }
        }
        assertTrue(store.awaitIdle(WAIT));

        assertEquals(2, count("SELECT COUNT(*) FROM calls"));
        assertEquals("first", row("twice").get("cdr_destination"));
        assertEquals("first", row("reconnect").get("cdr_destination"));
        assertEquals(0, store.rejectedRecords());
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void unusualCdrsAreStoredWithWhatCanBeParsed(String database) throws Exception {
        JdbcCallStore store = start(database);
        String otherSession = cdr("other-session", "\"disposition\":\"BUSY\"");
        String asStrings = "{\"event\":\"cdr\",\"sessionId\":\"strings\",\"duration\":\"42\",\"billableSeconds\":\"40\","
                + "\"hangupCauseCode\":\"17\",\"startTime\":\"2026-11-24T13:00:00+01:00\",\"carrier\":{\"name\":\"x\"}}";
        String missing = "{\"event\":\"cdr\",\"sessionId\":\"missing\",\"disposition\":\"NO ANSWER\"}";
        String odd = "{\"event\":\"cdr\",\"sessionId\":\"odd\",\"duration\":\"12.5\",\"hangupCauseCode\":\"normal\","
                + "\"startTime\":\"yesterday\",\"disposition\":\"" + "X".repeat(100) + "\",\"hangupCauseText\":\"a\\u0000b\"}";
        call("mismatch", otherSession);
        call("strings", asStrings);
        call("missing", missing);
        call("odd", odd);
        assertTrue(store.awaitIdle(WAIT));

        Map<String, Object> mismatch = row("mismatch");
        assertEquals("other-session", mismatch.get("cdr_session_id"));
        assertEquals(true, mismatch.get("cdr_session_mismatch"));
        assertEquals(0, count("SELECT COUNT(*) FROM calls WHERE session_id = 'other-session'"));
        assertTrue(store.find("mismatch").orElseThrow().cdrSessionMismatch());

        Map<String, Object> strings = row("strings");
        assertEquals(42, ((Number) strings.get("cdr_duration")).intValue());
        assertEquals(40, ((Number) strings.get("cdr_billable_seconds")).intValue());
        assertEquals(17, ((Number) strings.get("cdr_hangup_cause_code")).intValue());
        assertEquals(Instant.parse("2026-11-24T12:00:00Z"), strings.get("cdr_start_time"));
        assertEquals(asStrings, strings.get("cdr_json"));

        Map<String, Object> absent = row("missing");
        assertEquals("NO ANSWER", absent.get("cdr_disposition"));
        assertNull(absent.get("cdr_duration"));
        assertNull(absent.get("cdr_hangup_cause_code"));
        assertNull(absent.get("cdr_start_time"));
        assertEquals(missing, absent.get("cdr_json"));

        // What does not parse or fit is null or cut short in its column, and whole in the JSON.
        Map<String, Object> oddRow = row("odd");
        assertNull(oddRow.get("cdr_duration"));
        assertNull(oddRow.get("cdr_hangup_cause_code"));
        assertNull(oddRow.get("cdr_start_time"));
        assertEquals("X".repeat(32), oddRow.get("cdr_disposition"));
        assertEquals("a\uFFFDb", oddRow.get("cdr_hangup_cause_text"));
        assertEquals(odd, oddRow.get("cdr_json"));
        assertEquals(0, store.rejectedRecords());
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aConnectionThatNeverHadACallKeepsARowOfItsOwn(String database) throws Exception {
        JdbcCallStore store = start(database);
        for (int i = 0; i < 2; i++) {
            PlatformClient platform = PlatformClient.connect(uri());
            platform.send("not json");
            platform.drop();
        }
        // Each drop is recorded when the server sees it.
        for (int i = 0; i < 2; i++) {
            assertNotNull(acknowledged.saved.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        }
        assertTrue(store.awaitIdle(WAIT));
        assertEquals(2, count("SELECT COUNT(*) FROM calls WHERE session_id IS NULL"));
        assertEquals(2, count("SELECT SUM(protocol_errors) FROM calls WHERE session_id IS NULL"));
        assertEquals(2, count("SELECT COUNT(*) FROM calls WHERE ended_by = 'disconnect'"));
    }

    /** The database out of reach and the spool full: the record is refused and counted, and calls go on. */
    @Test
    void aFullSpoolRefusesRecordsAndCallsGoOn() throws Exception {
        start(Map.of("jdbcUrl", TestPostgres.url(TestPostgres.freePort()), "spoolMaxBytes", "4096",
                "dbRetryDelay", "50"));
        List<Integer> codes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            try (PlatformClient platform = PlatformClient.connect(uri())) {
                platform.incomingCall("full-" + i);
                platform.expectText("{\"event\":\"answer\"}");
                platform.send("{\"event\":\"hangup\"}");
                platform.cdr("full-" + i);
                codes.add(platform.awaitClose().code());
            }
        }
        assertEquals(1000, codes.get(0));
        assertEquals(1011, codes.get(codes.size() - 1), "refused once full: " + codes);
        assertEquals(codes.stream().filter(c -> c == 1011).count(), store.refusedRecords());
        assertEquals(codes.stream().filter(c -> c == 1000).count(), store.spooledRecords());
    }

    private void call(String sessionId, String cdrJson) throws Exception {
        try (PlatformClient platform = PlatformClient.connect(uri())) {
            platform.incomingCall(sessionId);
            platform.expectText("{\"event\":\"answer\"}");
            platform.send("{\"event\":\"hangup\"}");
            platform.send(cdrJson);
            assertEquals(1000, platform.awaitClose().code());
        }
    }

    private static String cdr(String sessionId, String fields) {
        return "{\"event\":\"cdr\",\"sessionId\":\"" + sessionId + "\"," + fields + "}";
    }

    private java.net.URI uri() {
        return java.net.URI.create("ws://localhost:" + server.port() + "/");
    }

    private long count(String sql) throws Exception {
        try (Connection c = Database.ofUrl(jdbcUrl).connect(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** The row of a call, column name to value; times as Instants. */
    private Map<String, Object> row(String sessionId) throws Exception {
        try (Connection c = Database.ofUrl(jdbcUrl).connect();
             PreparedStatement s = c.prepareStatement("SELECT * FROM calls WHERE session_id = ?")) {
            s.setString(1, sessionId);
            try (ResultSet rows = s.executeQuery()) {
                assertTrue(rows.next(), "no row for " + sessionId);
                Map<String, Object> row = new HashMap<>();
                for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                    String name = rows.getMetaData().getColumnLabel(i).toLowerCase(java.util.Locale.ROOT);
                    Object value = name.endsWith("_at") || name.endsWith("_time")
                            ? rows.getObject(i, java.time.OffsetDateTime.class) : rows.getObject(i);
                    if (value instanceof java.time.OffsetDateTime time) {
                        value = time.toInstant();
                    } else if (value instanceof java.sql.Clob clob) {
                        value = clob.getSubString(1, (int) clob.length());
                    }
                    row.put(name, value);
                }
                assertFalse(rows.next());
                return row;
            }
        }
    }
}
