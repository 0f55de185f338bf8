package io.callsocket;

import io.callsocket.InboundEvent.Cdr;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One record per sessionId, the first CDR wins, the newest records are kept. */
class InMemoryCallStoreTest {
    private static final Instant T0 = Instant.parse("2026-11-24T12:00:00Z");

    private static CallRecord record(String sessionId, String digits, Cdr cdr) {
        return new CallRecord(sessionId, sessionId == null ? null : "+15550001111", sessionId == null ? null : "+15559870002",
                T0, T0, T0, T0, T0, EndedBy.SERVER, digits, "1", new CallRecord.Audio(1, 320, 1, 320, 0, 0), 0, cdr,
                false);
    }

    private static Cdr cdr(String sessionId, String disposition) {
        return new Cdr(sessionId, "+15559870002", null, null, null, "12", "12", disposition, "CALLEE", "16",
                "Normal Clearing", "{\"event\":\"cdr\",\"sessionId\":\"" + sessionId + "\"}");
    }

    private static void save(InMemoryCallStore store, CallRecord record) {
        // The in-memory store completes at once; join() would surface a failure.
        store.save(record).toCompletableFuture().join();
    }

    private static List<String> digitsOf(List<CallRecord> records) {
        return records.stream().map(CallRecord::digitsReceived).collect(Collectors.toList());
    }

    @Test
    void savedRecordIsFoundBySessionId() {
        InMemoryCallStore store = new InMemoryCallStore(10);
        CallRecord record = record("a", "1", cdr("a", "ANSWERED"));

        save(store, record);

        assertEquals(Optional.of(record), store.find("a"));
        assertEquals(Optional.empty(), store.find("b"));
    }

    @Test
    void oneRecordPerSessionId() {
        InMemoryCallStore store = new InMemoryCallStore(10);

        save(store, record("a", "first", null));
        save(store, record("a", "second", cdr("a", "ANSWERED")));

        assertEquals(1, store.recent(10).size());
        assertEquals("second", store.find("a").orElseThrow().digitsReceived());
    }

    @Test
    void secondCdrForAStoredSessionIdChangesNothing() {
        InMemoryCallStore store = new InMemoryCallStore(10);
        CallRecord first = record("a", "first", cdr("a", "ANSWERED"));
        save(store, first);

        save(store, record("a", "second", cdr("a", "BUSY")));
        save(store, record("a", "third", null));

        assertEquals(Optional.of(first), store.find("a"));
        assertEquals(List.of(first), store.recent(10));
    }

    @Test
    void reconnectRecordReplacesOneWithoutCdr() {
        InMemoryCallStore store = new InMemoryCallStore(10);
        save(store, record("a", "dropped", null));

        CallRecord reconnect = record("a", "reconnect", null);
        save(store, reconnect);

        assertEquals(Optional.of(reconnect), store.find("a"));
        assertEquals(List.of(reconnect), store.recent(10));
    }

    @Test
    void recordsWithoutSessionIdAreAllKept() {
        InMemoryCallStore store = new InMemoryCallStore(10);

        save(store, record(null, "x", null));
        save(store, record(null, "y", null));
        save(store, record(null, "z", null));

        assertEquals(List.of("x", "y", "z"), digitsOf(store.recent(10)));
    }

    @Test
    void recordsWithoutSessionIdDoNotCollideWithSessionIds() {
        InMemoryCallStore store = new InMemoryCallStore(10);
        save(store, record(null, "nameless", null));

        save(store, record("0", "zero", null));

        assertEquals(List.of("nameless", "zero"), digitsOf(store.recent(10)));
        assertEquals("zero", store.find("0").orElseThrow().digitsReceived());
    }

    @Test
    void capacityEvictsTheOldest() {
        InMemoryCallStore store = new InMemoryCallStore(2);

        save(store, record("a", "a", null));
        save(store, record("b", "b", null));
        save(store, record("c", "c", null));

        assertTrue(store.find("a").isEmpty(), "the oldest went");
        assertTrue(store.find("b").isPresent());
        assertTrue(store.find("c").isPresent());
        assertEquals(List.of("b", "c"), digitsOf(store.recent(10)));
    }

    @Test
    void capacityCountsRecordsWithoutSessionId() {
        InMemoryCallStore store = new InMemoryCallStore(2);

        save(store, record("a", "a", null));
        save(store, record(null, "n1", null));
        save(store, record(null, "n2", null));

        assertTrue(store.find("a").isEmpty());
        assertEquals(List.of("n1", "n2"), digitsOf(store.recent(10)));
    }

    @Test
    void recentGivesTheNewestLastAndAtMostLimit() {
        InMemoryCallStore store = new InMemoryCallStore(10);
        for (String id : List.of("a", "b", "c", "d")) {
            save(store, record(id, id, null));
        }

        assertEquals(List.of("a", "b", "c", "d"), digitsOf(store.recent(4)));
        assertEquals(List.of("a", "b", "c", "d"), digitsOf(store.recent(100)));
        assertEquals(List.of("c", "d"), digitsOf(store.recent(2)));
        assertEquals(List.of("d"), digitsOf(store.recent(1)));
        assertEquals(List.of(), store.recent(0));
    }

    @Test
    void emptyStoreHasNoRecords() {
        InMemoryCallStore store = new InMemoryCallStore(10);

        assertEquals(List.of(), store.recent(10));
        assertTrue(store.find("a").isEmpty());
    }

    /** CallStore.recent: "Newest last". A record that replaced an older one is the newest. */
    @Test
    void replacedRecordCountsAsNewestInRecent() {
        InMemoryCallStore store = new InMemoryCallStore(10);
        save(store, record("a", "a-dropped", null));
        save(store, record("b", "b", null));

        save(store, record("a", "a-reconnect", null));

        assertEquals(List.of("b", "a-reconnect"), digitsOf(store.recent(10)));
    }

    /** The oldest go first; a record just saved is not the oldest. */
    @Test
    void replacedRecordIsNotTheFirstEvicted() {
        InMemoryCallStore store = new InMemoryCallStore(2);
        save(store, record("a", "a-dropped", null));
        save(store, record("b", "b", null));
        save(store, record("a", "a-reconnect", null));

        save(store, record("c", "c", null));

        assertTrue(store.find("b").isEmpty(), "b is the oldest record");
        assertEquals("a-reconnect", store.find("a").map(CallRecord::digitsReceived).orElse("evicted"));
    }
}
