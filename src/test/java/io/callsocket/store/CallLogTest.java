package io.callsocket.store;

import io.callsocket.CallRecord;
import io.callsocket.EndedBy;
import io.callsocket.EventDecoder;
import io.callsocket.InboundEvent;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operators' read side and the CSV export, on both databases. */
class CallLogTest {
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    @TempDir
    Path dir;

    private static CallRecord call(String sessionId, int minute, String caller, String did) throws Exception {
        Instant t = T0.plusSeconds(60L * minute);
        InboundEvent.Cdr cdr = (InboundEvent.Cdr) new EventDecoder().decode("{\"event\":\"cdr\",\"sessionId\":\"" + sessionId
                + "\",\"duration\":7,\"hangupCauseText\":\"Normal, \\\"clean\\\"\"}");
        return new CallRecord(sessionId, caller, did, t, t, t, t.plusSeconds(7), t.plusSeconds(8), EndedBy.CALLER, "", "",
                new CallRecord.Audio(0, 0, 0, 0, 0, 0), 0, cdr, false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void listsByTimeDidAndCallerAndExportsCsv(String database) throws Exception {
        String url = database.equals("h2") ? "jdbc:h2:file:" + dir.resolve("calls") : TestPostgres.newDatabase();
        Database db = Database.ofUrl(url);
        List<CallRecord> calls = List.of(call("a", 0, "+1001", "+2001"), call("b", 10, "+1002", "+2001"),
                call("c", 20, "+1001", "+2002"), call("d", 30, "+1003", "+2001"));
        try (Connection c = db.connect()) {
            Schema.migrate(c);
            CallTable.write(c, calls.stream().map(StoredRecord::of).toList());
        }
        CallLog log = new CallLog(db);

        assertEquals(List.of("b", "c"), ids(log.list(CallLog.Query.between(T0.plusSeconds(600), T0.plusSeconds(1800)))));
        assertEquals(List.of("a", "b", "d"), ids(log.list(CallLog.Query.between(null, null).did("+2001"))));
        assertEquals(List.of("a", "c"), ids(log.list(CallLog.Query.between(null, null).caller("+1001"))));
        assertEquals(List.of("d"), ids(log.list(CallLog.Query.between(T0.plusSeconds(1), null).did("+2001").caller("+1003"))));
        assertEquals(List.of("a", "b"), ids(log.list(CallLog.Query.between(null, null).limit(2))));
        assertEquals(calls.get(2), log.find("c").orElseThrow(), "the call with its CDR, as it was kept");
        assertTrue(log.find("nope").isEmpty());
        assertEquals(List.of("c", "d"), ids(log.recent(2)));

        StringWriter csv = new StringWriter();
        assertEquals(2, log.exportCsv(CallLog.Query.between(null, null).caller("+1001"), csv));
        String[] lines = csv.toString().split("\r\n");
        assertEquals(3, lines.length);
        assertTrue(lines[0].startsWith("id,session_id,caller_id,did_number,connected_at,"), lines[0]);
        assertTrue(lines[1].contains(",a,+1001,+2001,2026-11-24T10:00:00Z,"), lines[1]);
        assertTrue(lines[1].contains(",\"Normal, \"\"clean\"\"\","), "quoted as RFC 4180: " + lines[1]);
        assertTrue(lines[1].contains(",a,false,"), "the CDR's sessionId and the mismatch flag: " + lines[1]);

        Path out = dir.resolve("calls.csv");
        assertEquals(1, ExportCsv.run(new String[]{"--jdbcUrl=" + url, "--from=2026-11-24T10:05:00Z",
                "--to=2026-11-24T10:15:00Z", "--out=" + out}));
        assertTrue(Files.readString(out).contains(",b,+1002,"));
    }

    private static List<String> ids(List<CallRecord> records) {
        return records.stream().map(CallRecord::sessionId).toList();
    }
}
