package io.callsocket;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Keeps the newest {@code capacity} records in memory, one per sessionId: the store of the end-to-end tests. */
public final class InMemoryCallStore implements CallStore {
    private static final System.Logger LOG = System.getLogger(InMemoryCallStore.class.getName());

    private final Map<String, CallRecord> records;
    private long unnamed;

    public InMemoryCallStore(int capacity) {
        records = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, CallRecord> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public synchronized CompletionStage<Void> save(CallRecord record) {
        if (record.sessionId() == null) {
            // A connection that never had a call accepted: kept, under a key no sessionId can take.
            records.put("\0" + unnamed++, record);
            return CompletableFuture.completedFuture(null);
        }
        CallRecord kept = records.get(record.sessionId());
        if (kept != null && kept.cdr() != null) {
            if (record.cdr() != null) {
                LOG.log(Level.WARNING, "call {0}: cdr already stored, the new one is ignored",
                        LogText.quote(record.sessionId()));
            }
            return CompletableFuture.completedFuture(null);
        }
        // One row per call: a reconnect under the same sessionId replaces a record that had no CDR,
        // and counts as the newest (re-inserted, since put keeps an existing key's place).
        records.remove(record.sessionId());
        records.put(record.sessionId(), record);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized Optional<CallRecord> find(String sessionId) {
        return Optional.ofNullable(records.get(sessionId));
    }

    @Override
    public synchronized List<CallRecord> recent(int limit) {
        List<CallRecord> all = new ArrayList<>(records.values());
        return List.copyOf(all.subList(Math.max(0, all.size() - limit), all.size()));
    }
}
