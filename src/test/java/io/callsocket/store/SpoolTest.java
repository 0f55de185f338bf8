package io.callsocket.store;

import io.callsocket.CallRecord;
import io.callsocket.EndedBy;
import io.callsocket.EventDecoder;
import io.callsocket.InboundEvent;
import jakarta.websocket.DecodeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The spool on its own: what survives a reopen, in which order, and what it refuses. */
class SpoolTest {
    @TempDir
    Path dir;

    /** A record as a call leaves it, with a CDR as the decoder makes it (its fields and its JSON agree). */
    static CallRecord record(String sessionId) throws DecodeException {
        Instant t = Instant.parse("2026-11-24T12:00:00Z");
        InboundEvent.Cdr cdr = (InboundEvent.Cdr) new EventDecoder().decode("{\"event\":\"cdr\",\"sessionId\":\""
                + sessionId + "\",\"destination\":\"+1555\",\"startTime\":\"2026-11-24T12:00:00Z\",\"duration\":12,"
                + "\"billableSeconds\":\"12\",\"disposition\":\"ANSWERED\",\"hangupBy\":\"CALLEE\",\"hangupCauseCode\":16,"
                + "\"hangupCauseText\":\"Normal \\\"Clearing\\\"\\n\",\"extra\":[1,2]}");
        return new CallRecord(sessionId, "+1 555 \u00e9\ud83d\ude00", "+1666", t, t, t, t.plusSeconds(12), t.plusSeconds(13),
                EndedBy.SERVER, "1#", "1", new CallRecord.Audio(1, 320, 1, 320, 0, 0), 2, cdr, false);
    }

    @Test
    void aRecordComesBackFromItsLineAsItWent() throws Exception {
        CallRecord withCdr = record("line-1");
        CallRecord none = new CallRecord(null, null, null, Instant.EPOCH, null, null, null, Instant.EPOCH, null, "", "",
                new CallRecord.Audio(0, 0, 0, 0, 0, 0), 0, null, false);
        for (CallRecord record : List.of(withCdr, none)) {
            StoredRecord stored = StoredRecord.of(record);
            String line = stored.toLine();
            assertTrue(line.indexOf('\n') < 0, line);
            assertEquals(stored, StoredRecord.fromLine(line));
        }
    }

    @Test
    void reopenedItReplaysWhatWasNotForgottenInOrder() throws Exception {
        List<StoredRecord> written = new ArrayList<>();
        try (Spool spool = Spool.open(dir, 1 << 20)) {
            for (int i = 0; i < 5; i++) {
                written.add(StoredRecord.of(record("s-" + i)));
            }
            List<Spool.Entry> entries = spool.append(written);
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L), entries.stream().map(Spool.Entry::seq).toList());
        }
        try (Spool spool = Spool.open(dir, 1 << 20)) {
            assertEquals(written, spool.replay().stream().map(Spool.Entry::stored).toList());
            assertTrue(spool.replay().stream().allMatch(Spool.Entry::replayed));
            // New records go to a new segment, after the replayed ones.
            assertEquals(5L, spool.append(List.of(StoredRecord.of(record("s-5")))).get(0).seq());
            spool.forget(4);
        }
        try (Spool spool = Spool.open(dir, 1 << 20)) {
            assertEquals(List.of("s-5"), spool.replay().stream().map(e -> e.stored().record().sessionId()).toList());
        }
    }

    @Test
    void aLineCutShortByACrashIsDroppedAndADamagedOneKeptAside() throws Exception {
        StoredRecord first = StoredRecord.of(record("whole"));
        StoredRecord last = StoredRecord.of(record("after"));
        try (Spool spool = Spool.open(dir, 1 << 20)) {
            spool.append(List.of(first));
        }
        Path segment = segments().get(0);
        Files.writeString(segment, "{\"damaged\n" + last.toLine() + "\n{\"format\":1,\"id\":\"to", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        try (Spool spool = Spool.open(dir, 1 << 20)) {
            assertEquals(List.of(first, last), spool.replay().stream().map(Spool.Entry::stored).toList());
        }
        assertEquals("{\"damaged\n", Files.readString(dir.resolve("unreadable.txt")));
        assertTrue(Files.readString(segment).endsWith(last.toLine() + "\n"), "the torn tail is cut off");
    }

    @Test
    void aFullSpoolRefusesUntilTheDatabaseTakesRecords() throws Exception {
        int size = (StoredRecord.of(record("size-0")).toLine() + "\n").getBytes(StandardCharsets.UTF_8).length;
        try (Spool spool = Spool.open(dir, 4096)) {
            List<Spool.Entry> entries = new ArrayList<>();
            for (int i = 0; i < 4096 / size + 2; i++) {
                entries.add(spool.append(List.of(StoredRecord.of(record("size-" + i)))).get(0));
            }
            int kept = 4096 / size;
            assertTrue(entries.subList(0, kept).stream().allMatch(e -> e != null));
            assertNull(entries.get(kept));
            assertTrue(spool.bytes() <= 4096);
            // The database took all but the last: room again.
            spool.forget(entries.get(kept - 2).seq());
            assertTrue(spool.append(List.of(StoredRecord.of(record("room")))).get(0) != null);
        }
    }

    @Test
    void oneServerAtATimeUsesASpool() throws Exception {
        try (Spool spool = Spool.open(dir, 1 << 20)) {
            IOException busy = assertThrows(IOException.class, () -> Spool.open(dir, 1 << 20));
            assertTrue(busy.getMessage().contains("in use by another CallSocket"), busy.getMessage());
        }
        Spool.open(dir, 1 << 20).close();
    }

    private List<Path> segments() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".spool")).sorted().toList();
        }
    }
}
