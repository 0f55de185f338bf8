package io.callsocket.store;

import io.callsocket.CallRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A record the database refuses as bad data is kept aside, and holds up none of the others. */
class JdbcCallStoreTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void aRecordTheDatabaseRefusesIsKeptAsideAndTheOthersAreWritten() throws Exception {
        Database database = Database.ofUrl(TestPostgres.newDatabase());
        try (JdbcCallStore store = JdbcCallStore.open(database, dir, 1 << 20, Duration.ofMillis(50))) {
            store.save(SpoolTest.record("first")).toCompletableFuture().join();
            assertTrue(store.awaitIdle(WAIT));
            try (Connection c = database.connect(); Statement s = c.createStatement()) {
                // A rule of the operator's that this record breaks: the database says 23514.
                s.execute("ALTER TABLE calls ADD CONSTRAINT no_poison CHECK (session_id <> 'poison')");
            }
            CallRecord poison = SpoolTest.record("poison");
            for (CallRecord record : List.of(SpoolTest.record("before"), poison, SpoolTest.record("after"))) {
                store.save(record).toCompletableFuture().join();
            }
            assertTrue(store.awaitIdle(WAIT));

            assertEquals(List.of("after", "before", "first"),
                    store.recent(10).stream().map(CallRecord::sessionId).sorted().toList());
            assertEquals(1, store.rejectedRecords());
            assertEquals(3, store.writtenRecords());
            List<String> rejected = Files.readAllLines(dir.resolve("rejected-records.jsonl"));
            assertEquals(1, rejected.size());
            assertEquals(poison, StoredRecord.fromLine(rejected.get(0)).record());
        }
    }
}
