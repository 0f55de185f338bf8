package io.callsocket.store;

import io.callsocket.CallRecord;
import io.callsocket.CallStore;
import io.callsocket.Settings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Call records in a SQL database, by way of a local spool. {@link #save} only queues the record: a
 * spool thread appends it to the spool file and fsyncs it, and only then does the save complete (so
 * the call closes with 1000 once its record survives a crash). A database thread moves spooled
 * records into the database in order, and the spool forgets them once committed. The database down
 * or slow only makes the spool grow: calls go on. On start-up, what an earlier run left in the
 * spool goes to the database first.
 */
public final class JdbcCallStore implements CallStore, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(JdbcCallStore.class.getName());
    /** Records waiting for the spool thread; past this the disk is not keeping up, and a save is refused. */
    private static final int MAX_QUEUED = 10_000;
    private static final int BATCH = 500;
    /** How long close waits for the database to take the spooled records; what is left is replayed next start. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private record Pending(StoredRecord stored, CompletableFuture<Void> done) {
    }

    private static final Pending STOP_SPOOL = new Pending(null, null);
    private static final Spool.Entry STOP_DB = new Spool.Entry(Long.MAX_VALUE, null, false);

    private final Database database;
    private final Spool spool;
    private final Duration retryDelay;
    private final CallLog log;
    private final Path rejectedFile;
    private final LinkedBlockingQueue<Pending> toSpool = new LinkedBlockingQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final LinkedBlockingQueue<Spool.Entry> toDatabase = new LinkedBlockingQueue<>();
    /** Calls' saves complete here, off the spool thread: completing one closes a WebSocket. */
    private final ExecutorService completions;
    private final Thread spoolThread;
    private final Thread databaseThread;
    private final CountDownLatch giveUp = new CountDownLatch(1);
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong waitingForDatabase = new AtomicLong();
    private volatile boolean accepting = true;
    /** Saves taken / saves the spool thread is done with: for {@link #awaitIdle}. */
    private long taken;
    private long spooled;
    private Connection connection;
    /** The database's last failure while it is down, else null. */
    private volatile String lastFailure;

    private JdbcCallStore(Database database, Spool spool, Duration retryDelay, Path rejectedFile) {
        this.database = database;
        this.spool = spool;
        this.retryDelay = retryDelay;
        this.rejectedFile = rejectedFile;
        this.log = new CallLog(database);
        this.completions = Executors.newFixedThreadPool(2, daemon("callsocket-store-done"));
        List<Spool.Entry> replay = spool.replay();
        waitingForDatabase.addAndGet(replay.size());
        toDatabase.addAll(replay);
        this.spoolThread = daemon("callsocket-spool").newThread(this::spoolLoop);
        this.databaseThread = daemon("callsocket-db").newThread(this::databaseLoop);
        spoolThread.start();
        databaseThread.start();
        LOG.log(Level.INFO, "call records to {0}, by way of the spool in {1}{2}", database, spool.dir(),
                replay.isEmpty() ? "" : "; replaying " + replay.size() + " records an earlier run left there");
    }

    /** The store as the settings describe it: JNDI's or the configured database, the spool in dataDir. */
    public static JdbcCallStore open(Settings settings) {
        return open(Database.fromSettings(settings), Path.of(settings.dataDir()), settings.spoolMaxBytes(),
                settings.dbRetryDelay());
    }

    public static JdbcCallStore open(Database database, Path dataDir, long spoolMaxBytes, Duration retryDelay) {
        try {
            return new JdbcCallStore(database, Spool.open(dataDir.resolve("spool"), spoolMaxBytes), retryDelay,
                    dataDir.resolve("rejected-records.jsonl"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the record spool in " + dataDir, e);
        }
    }

    /** Completes once the record is in the spool on disk; fails when the spool cannot take it. */
    @Override
    public CompletionStage<Void> save(CallRecord record) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!accepting) {
            done.completeExceptionally(new IllegalStateException("the record store is closed"));
            return done;
        }
        if (queued.incrementAndGet() > MAX_QUEUED) {
            queued.decrementAndGet();
            refuse(record, "the spool's disk is not keeping up (" + MAX_QUEUED + " records waiting)");
            done.completeExceptionally(new IOException("record spool overloaded"));
            return done;
        }
        synchronized (this) {
            taken++;
        }
        toSpool.add(new Pending(StoredRecord.of(record), done));
        return done;
    }

    @Override
    public Optional<CallRecord> find(String sessionId) {
        return log.find(sessionId);
    }

    @Override
    public List<CallRecord> recent(int limit) {
        return log.recent(limit);
    }

    /** The read side: what has reached the database. */
    public CallLog log() {
        return log;
    }

    /** Records refused because the spool was full (each also an ERROR line). */
    public long refusedRecords() {
        return refused.get();
    }

    /** Records the database refused as bad data, kept in rejected-records.jsonl (each also an ERROR line). */
    public long rejectedRecords() {
        return rejected.get();
    }

    /** Records written to the database by this process. */
    public long writtenRecords() {
        return written.get();
    }

    /** Records in the spool that the database does not have yet. */
    public long spooledRecords() {
        return waitingForDatabase.get();
    }

    /**
     * Waits until every record saved so far has been spooled and then written to the database (or
     * refused). For a clean shutdown and for measuring; the calls never wait on it.
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            long target = taken;
            while (spooled < target || waitingForDatabase.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }
    }

    private void spoolLoop() {
        List<Pending> batch = new ArrayList<>();
        boolean stop = false;
        while (!stop) {
            try {
                batch.add(toSpool.take());
            } catch (InterruptedException e) {
                // Never interrupted by us (an interrupt would close the spool's file channel); go on.
                continue;
            }
            toSpool.drainTo(batch, BATCH - 1);
            stop = batch.remove(STOP_SPOOL);
            queued.addAndGet(-batch.size());
            try {
                spoolBatch(batch);
            } catch (RuntimeException e) {
                // This thread must live on: without it no call would ever be closed with 1000.
                LOG.log(Level.ERROR, "record spool failed", e);
                batch.forEach(p -> p.done().completeExceptionally(e));
            }
            synchronized (this) {
                spooled += batch.size();
                notifyAll();
            }
            batch.clear();
        }
    }

    private void spoolBatch(List<Pending> batch) {
        List<Spool.Entry> entries;
        try {
            entries = spool.append(batch.stream().map(Pending::stored).toList());
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.ERROR, "record spool cannot write: " + e, e);
            entries = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                entries.add(null);
            }
        }
        for (int i = 0; i < batch.size(); i++) {
            Pending pending = batch.get(i);
            Spool.Entry entry = entries.get(i);
            if (entry == null) {
                refuse(pending.stored().record(), "the spool is full or cannot be written ("
                        + spool.bytes() + " bytes waiting for the database)");
                completions.execute(() -> pending.done().completeExceptionally(new IOException("record spool full")));
            } else {
                waitingForDatabase.incrementAndGet();
                toDatabase.add(entry);
                completions.execute(() -> pending.done().complete(null));
            }
        }
    }

    private void refuse(CallRecord record, String why) {
        refused.incrementAndGet();
        LOG.log(Level.ERROR, "call {0}: record NOT kept: {1}; {2} records refused so far",
                record.sessionId() == null ? "(no call)" : "\"" + record.sessionId() + "\"", why, refused.get());
    }

    private void databaseLoop() {
        List<Spool.Entry> batch = new ArrayList<>();
        boolean stop = false;
        while (!stop || !batch.isEmpty()) {
            if (batch.isEmpty()) {
                try {
                    batch.add(toDatabase.take());
                } catch (InterruptedException e) {
                    continue;
                }
                toDatabase.drainTo(batch, BATCH - 1);
                stop = batch.remove(STOP_DB);
                if (batch.isEmpty()) {
                    continue;
                }
            }
            try {
                writeBatch(batch);
            } catch (SQLException | RuntimeException e) {
                databaseFailed(e);
                try {
                    if (giveUp.await(retryDelay.toMillis(), TimeUnit.MILLISECONDS)) {
                        break;
                    }
                } catch (InterruptedException ignored) {
                    // only giveUp ends the wait early
                }
            }
        }
        closeConnection();
    }

    private void writeBatch(List<Spool.Entry> batch) throws SQLException {
        Connection c = connection();
        boolean[] changed;
        try {
            changed = CallTable.write(c, batch.stream().map(Spool.Entry::stored).toList());
        } catch (SQLException e) {
            if (!isBadData(e)) {
                throw e;
            }
            // One record the database refuses must not hold back the others: write them one by one,
            // each leaving the batch once it is done with.
            for (Iterator<Spool.Entry> it = batch.iterator(); it.hasNext(); ) {
                Spool.Entry entry = it.next();
                boolean[] one;
                boolean kept = true;
                try {
                    one = CallTable.write(c, List.of(entry.stored()));
                } catch (SQLException refused) {
                    if (!isBadData(refused) || !reject(entry, refused)) {
                        throw refused;
                    }
                    one = new boolean[]{true};
                    kept = false;
                }
                committed(List.of(entry), one, kept, c);
                it.remove();
            }
            return;
        }
        committed(batch, changed, true, c);
        batch.clear();
    }

    /** @param inDatabase false for a record kept aside instead, see {@link #reject} */
    private void committed(List<Spool.Entry> batch, boolean[] changed, boolean inDatabase, Connection c) throws SQLException {
        for (int i = 0; i < batch.size(); i++) {
            CallRecord record = batch.get(i).stored().record();
            if (!changed[i] && record.cdr() != null && !batch.get(i).replayed()) {
                LOG.log(Level.WARNING, "call \"{0}\": a CDR is already stored for it; this record changes nothing",
                        record.sessionId());
            }
        }
        long last = batch.get(batch.size() - 1).seq();
        if (spool.canForget(last)) {
            database.makeDurable(c);
            try {
                spool.forget(last);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "spool: cannot delete a written segment (it will be replayed, harmlessly): {0}", e.toString());
            }
        }
        if (inDatabase) {
            written.addAndGet(batch.size());
        }
        if (lastFailure != null) {
            LOG.log(Level.INFO, "database {0} is back; {1} records still spooled", database,
                    waitingForDatabase.get() - batch.size());
            lastFailure = null;
        }
        synchronized (this) {
            waitingForDatabase.addAndGet(-batch.size());
            notifyAll();
        }
    }

    /** SQL state classes 22 (data) and 23 (constraint): this record is the problem, not the database. */
    private static boolean isBadData(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    /** Keeps a record the database refuses in a file of its own; false if even that fails. */
    private boolean reject(Spool.Entry entry, SQLException why) {
        try {
            Files.writeString(rejectedFile, entry.stored().toLine() + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        } catch (IOException e) {
            LOG.log(Level.ERROR, "cannot keep a refused record in " + rejectedFile + "; it stays in the spool", e);
            return false;
        }
        rejected.incrementAndGet();
        LOG.log(Level.ERROR, "call \"{0}\": the database refused the record ({1}); kept in {2}",
                entry.stored().record().sessionId(), why.getMessage(), rejectedFile);
        return true;
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            Connection fresh = database.connect();
            try {
                Schema.migrate(fresh);
            } catch (SQLException | RuntimeException e) {
                fresh.close();
                throw e;
            }
            connection = fresh;
        }
        return connection;
    }

    private void databaseFailed(Exception e) {
        closeConnection();
        String failure = e.toString();
        // One line when the database goes away or fails anew, not one per retry.
        if (!failure.equals(lastFailure)) {
            LOG.log(Level.WARNING, "database {0} unavailable: {1}; {2} records wait in the spool, retry every {3} ms",
                    database, failure, waitingForDatabase.get(), retryDelay.toMillis());
            lastFailure = failure;
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // it is going anyway
            }
            connection = null;
        }
    }

    /**
     * Stops taking records, spools the ones taken, and gives the database {@link #CLOSE_WAIT} to
     * take the spool; whatever it has not is replayed at the next start.
     */
    @Override
    public void close() {
        accepting = false;
        toSpool.add(STOP_SPOOL);
        try {
            spoolThread.join();
            toDatabase.add(STOP_DB);
            if (lastFailure == null) {
                // Down already: no use waiting for it.
                databaseThread.join(CLOSE_WAIT.toMillis());
            }
            if (databaseThread.isAlive()) {
                LOG.log(Level.WARNING, "database {0} did not take the spool in {1} s; {2} records are replayed at the next start",
                        database, CLOSE_WAIT.toSeconds(), waitingForDatabase.get());
                giveUp.countDown();
                databaseThread.join(CLOSE_WAIT.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        completions.shutdown();
        boolean allWritten = !databaseThread.isAlive() && waitingForDatabase.get() == 0;
        if (!databaseThread.isAlive()) {
            // H2's SHUTDOWN also writes out what it holds, so its records are on disk before the spool goes.
            database.shutdown();
        }
        try {
            if (allWritten) {
                // Nothing to replay at the next start.
                spool.clear();
            } else {
                spool.close();
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "spool close: {0}", e.toString());
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
