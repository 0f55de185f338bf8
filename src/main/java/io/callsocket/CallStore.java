package io.callsocket;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Where call records go. The connection is closed after a CDR only once {@link #save} has completed. */
public interface CallStore {

    /**
     * Keeps one record. A CDR for a sessionId whose CDR is already kept changes nothing and is logged.
     * Must not block: the caller is a WebSocket or timer thread.
     */
    CompletionStage<Void> save(CallRecord record);

    Optional<CallRecord> find(String sessionId);

    /** Newest last. */
    List<CallRecord> recent(int limit);
}
