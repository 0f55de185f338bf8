package io.callsocket;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The embedded server on a free port, with its records also handed to a queue the test can wait on. */
final class TestServer implements AutoCloseable {
    /** The published flow with its timings shortened: dtmf 200 ms and hangup 1 s after answer. */
    static final Map<String, String> SHORT = Map.of("dtmfDelay", "200", "hangupDelay", "1000");

    final RecordingStore store;
    final EmbeddedServer server;

    private TestServer(Settings settings) throws Exception {
        store = new RecordingStore(new InMemoryCallStore(10_000));
        server = EmbeddedServer.start(CallServer.create(settings, store));
    }

    static TestServer start(Map<String, String> settings) throws Exception {
        Map<String, String> values = new HashMap<>(settings);
        values.putIfAbsent("port", "0");
        return new TestServer(Settings.from(values::get));
    }

    URI uri() {
        return URI.create("ws://localhost:" + server.port() + server.calls().settings().path());
    }

    PlatformClient connect() {
        return PlatformClient.connect(uri());
    }

    CallServer calls() {
        return server.calls();
    }

    /** The next record the server keeps; fails the test if none comes in time. */
    CallRecord nextRecord() throws InterruptedException {
        CallRecord record = store.saved.poll(PlatformClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(record, "no call record within " + PlatformClient.WAIT);
        return record;
    }

    @Override
    public void close() {
        server.close();
    }

    static final class RecordingStore implements CallStore {
        final BlockingQueue<CallRecord> saved = new LinkedBlockingQueue<>();
        private final CallStore store;

        RecordingStore(CallStore store) {
            this.store = store;
        }

        @Override
        public CompletionStage<Void> save(CallRecord record) {
            return store.save(record).thenRun(() -> saved.add(record));
        }

        @Override
        public Optional<CallRecord> find(String sessionId) {
            return store.find(sessionId);
        }

        @Override
        public List<CallRecord> recent(int limit) {
            return store.recent(limit);
        }
    }
}
