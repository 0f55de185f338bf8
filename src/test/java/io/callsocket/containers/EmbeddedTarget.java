package io.callsocket.containers;

import io.callsocket.CallCases;
import io.callsocket.CallTarget;
import io.callsocket.EmbeddedServer;
import io.callsocket.Settings;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** CallSocket on embedded Tyrus in the test's JVM: one server at the default path, one at the moved path. */
final class EmbeddedTarget implements CallTarget {
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final Handler watcher = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String thrown = record.getThrown() == null ? "" : " " + record.getThrown();
            String line = record.getLevel() + " " + record.getLoggerName() + ": " + record.getMessage() + thrown;
            if (record.getLevel().intValue() >= Level.SEVERE.intValue() || line.contains("IllegalStateException")) {
                problems.add(line);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final Path dataDir;
    private EmbeddedServer server;
    private EmbeddedServer moved;

    private EmbeddedTarget(Path dataDir) {
        this.dataDir = dataDir;
    }

    static EmbeddedTarget start() throws Exception {
        EmbeddedTarget target = new EmbeddedTarget(Containers.freshDir("embedded"));
        // Everything the server logs, at every level, so a failed send (DEBUG) is seen too.
        Logger.getLogger("").addHandler(target.watcher);
        Logger.getLogger("io.callsocket").setLevel(Level.FINE);
        try {
            target.server = EmbeddedServer.start(settings(target.dataDir.resolve("data-root"), Map.of()));
            target.moved = EmbeddedServer.start(settings(target.dataDir.resolve("data-moved"), Map.of("path", CallCases.MOVED_PATH)));
        } catch (Exception | Error e) {
            target.close();
            throw e;
        }
        return target;
    }

    /** {@link CallCases#SETTINGS} on a free port, records under {@code dataDir}, plus {@code more}. */
    static Settings settings(Path dataDir, Map<String, String> more) throws Exception {
        Map<String, String> values = new HashMap<>(CallCases.SETTINGS);
        values.put("port", "0");
        values.put("dataDir", Files.createDirectories(dataDir).toString());
        values.putAll(more);
        return Settings.from(values::get);
    }

    Path dir() {
        return dataDir;
    }

    @Override
    public URI uri() {
        return URI.create("ws://localhost:" + server.port() + "/");
    }

    @Override
    public URI movedUri() {
        return URI.create("ws://localhost:" + moved.port() + CallCases.MOVED_PATH);
    }

    @Override
    public URI movedRoot() {
        return URI.create("ws://localhost:" + moved.port() + "/");
    }

    @Override
    public List<String> logProblems() {
        return problems;
    }

    @Override
    public void close() {
        try {
            if (server != null) {
                server.close();
            }
            if (moved != null) {
                moved.close();
            }
        } finally {
            Logger.getLogger("").removeHandler(watcher);
            Logger.getLogger("io.callsocket").setLevel(null);
        }
    }
}
