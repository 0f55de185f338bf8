package io.callsocket.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates and upgrades the tables from the versioned SQL scripts beside this class, in order, each
 * once; the versions applied are rows of {@code callsocket_schema}. Two scripts and one table do not
 * need a migration tool: this is the whole of it.
 */
public final class Schema {
    private static final System.Logger LOG = System.getLogger(Schema.class.getName());

    /** Script i is version i + 1. Never edit a released script: add the next one. */
    static final List<String> SCRIPTS = List.of("V1__calls.sql", "V2__read_indexes.sql");

    public static final int LATEST = SCRIPTS.size();

    private Schema() {
    }

    /** Brings the database up to {@link #LATEST}. */
    public static void migrate(Connection connection) throws SQLException {
        migrate(connection, LATEST);
    }

    /** Brings the database up to {@code target}; the tests use it to build the previous version. */
    static void migrate(Connection connection, int target) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS callsocket_schema ("
                    + "version INTEGER NOT NULL PRIMARY KEY, script VARCHAR(200) NOT NULL, "
                    + "applied_at TIMESTAMP WITH TIME ZONE NOT NULL)");
            int current = version(connection);
            connection.setAutoCommit(false);
            for (int version = current + 1; version <= target; version++) {
                String script = SCRIPTS.get(version - 1);
                // PostgreSQL applies a script and its version row all or nothing; H2 commits DDL at
                // once, so the scripts are written to run again harmlessly (IF NOT EXISTS).
                for (String sql : statements(read(script))) {
                    statement.execute(sql);
                }
                try (PreparedStatement applied = connection.prepareStatement(
                        "INSERT INTO callsocket_schema (version, script, applied_at) VALUES (?, ?, ?)")) {
                    applied.setInt(1, version);
                    applied.setString(2, script);
                    applied.setObject(3, OffsetDateTime.now(ZoneOffset.UTC));
                    applied.executeUpdate();
                }
                connection.commit();
                LOG.log(Level.INFO, "database schema upgraded to version {0} ({1})", version, script);
            }
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** The version the database is at; 0 when it has none. */
    public static int version(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT MAX(version) FROM callsocket_schema")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /** Statements end with ';' at the end of a line; lines starting with -- are comments. */
    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder sql = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("--") || trimmed.isEmpty()) {
                continue;
            }
            if (trimmed.endsWith(";")) {
                sql.append(trimmed, 0, trimmed.length() - 1);
                out.add(sql.toString());
                sql.setLength(0);
            } else {
                sql.append(trimmed).append('\n');
            }
        }
        if (!sql.toString().isBlank()) {
            throw new IllegalStateException("script does not end with ';': " + sql);
        }
        return out;
    }

    private static String read(String script) {
        try (InputStream in = Schema.class.getResourceAsStream(script)) {
            if (in == null) {
                throw new IllegalStateException("schema script missing from the build: " + script);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
