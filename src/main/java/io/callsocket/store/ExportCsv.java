package io.callsocket.store;

import io.callsocket.Settings;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Exports call records as CSV, on the command line:
 * {@code --from=2026-11-01T00:00:00Z --to=... --did=... --caller=... --limit=... --out=calls.csv},
 * each optional, plus the server's own {@code --jdbcUrl} / {@code --dataDir} to find the database.
 * Without {@code --out} the CSV goes to standard output.
 */
public final class ExportCsv {

    private ExportCsv() {
    }

    public static void main(String[] args) throws Exception {
        try {
            int count = run(args);
            System.err.println("callsocket export: " + count + " calls");
        } catch (IllegalArgumentException | IllegalStateException bad) {
            System.err.println("callsocket export: " + bad.getMessage());
            System.exit(2);
        }
    }

    static int run(String[] args) throws Exception {
        Instant from = null;
        Instant to = null;
        String did = null;
        String caller = null;
        int limit = Integer.MAX_VALUE;
        Path out = null;
        List<String> serverFlags = new ArrayList<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            String value = eq < 0 ? "" : arg.substring(eq + 1);
            switch (name) {
                case "--from" -> from = instant(name, value);
                case "--to" -> to = instant(name, value);
                case "--did" -> did = value;
                case "--caller" -> caller = value;
                case "--limit" -> limit = Integer.parseInt(value);
                case "--out" -> out = Path.of(value);
                default -> serverFlags.add(arg);
            }
        }
        Settings settings = Settings.fromCommandLine(serverFlags.toArray(String[]::new));
        CallLog.Query query = new CallLog.Query(from, to, did, caller, limit);
        CallLog log = new CallLog(Database.ofUrl(Database.url(settings)));
        if (out == null) {
            Writer writer = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
            int count = log.exportCsv(query, writer);
            writer.flush();
            return count;
        }
        try (Writer writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            return log.exportCsv(query, writer);
        }
    }

    private static Instant instant(String name, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 instant like 2026-11-24T00:00:00Z, got: " + value);
        }
    }
}
