package io.callsocket.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The schema scripts on both databases: from nothing, and from the previous version with rows in it. */
class SchemaTest {
    @TempDir
    Path dir;

    private String url(String database) throws Exception {
        return database.equals("h2") ? "jdbc:h2:file:" + dir.resolve("schema") : TestPostgres.newDatabase();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void fromAnEmptyDatabase(String database) throws Exception {
        try (Connection c = Database.ofUrl(url(database)).connect()) {
            Schema.migrate(c);
            assertEquals(Schema.LATEST, Schema.version(c));
            Schema.migrate(c);
            assertEquals(Schema.LATEST, Schema.version(c), "a second start changes nothing");
            assertEquals(3, indexes(c));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void fromThePreviousVersionKeepingItsRows(String database) throws Exception {
        try (Connection c = Database.ofUrl(url(database)).connect()) {
            Schema.migrate(c, Schema.LATEST - 1);
            assertEquals(0, indexes(c));
            StoredRecord old = StoredRecord.of(SpoolTest.record("before-upgrade"));
            CallTable.write(c, List.of(old));
            c.setAutoCommit(true);

            Schema.migrate(c);
            assertEquals(Schema.LATEST, Schema.version(c));
            assertEquals(3, indexes(c));
            assertEquals(List.of(old.record()), CallTable.all(c));
        }
    }

    @Test
    void scriptsSplitIntoStatements() {
        assertEquals(List.of("CREATE TABLE t (\na INT,\nb INT\n)", "CREATE INDEX i ON t (a)"),
                Schema.statements("-- a comment\nCREATE TABLE t (\n  a INT,\n  -- why b\n  b INT\n);\n\nCREATE INDEX i ON t (a);\n"));
    }

    /** How many of our read-side indexes the calls table has (an index spanning two columns is listed twice). */
    private static int indexes(Connection c) throws Exception {
        Set<String> names = new HashSet<>();
        String table = c.getMetaData().storesUpperCaseIdentifiers() ? "CALLS" : "calls";
        try (ResultSet rows = c.getMetaData().getIndexInfo(null, null, table, false, false)) {
            while (rows.next()) {
                String name = rows.getString("INDEX_NAME");
                if (name != null && name.toLowerCase(Locale.ROOT).matches("calls_(connected_at|did_number|caller_id)")) {
                    names.add(name);
                }
            }
        }
        return names.size();
    }
}
