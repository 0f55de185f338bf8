package io.callsocket.store;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Records on local disk until the database has them: append-only segment files of one JSON line per
 * record, fsync'd before an append returns, deleted once every record in them is committed. Bounded
 * by {@code maxBytes}. Not thread-safe by itself beyond its synchronized methods: one thread appends,
 * another forgets.
 */
final class Spool implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Spool.class.getName());
    private static final String SUFFIX = ".spool";
    private static final long MAX_SEGMENT = 1 << 20;

    /** A record in the spool; {@code seq} orders every record of this process, replayed ones first. */
    record Entry(long seq, StoredRecord stored, boolean replayed) {
    }

    private static final class Segment {
        final Path path;
        long bytes;
        long lastSeq = -1;

        Segment(Path path, long bytes) {
            this.path = path;
            this.bytes = bytes;
        }
    }

    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;
    private final ArrayDeque<Segment> segments = new ArrayDeque<>();
    private final List<Entry> replay = new ArrayList<>();
    private long totalBytes;
    private long nextSeq;
    private long nextSegment;
    private Segment current;
    private FileChannel channel;
    /** Held while open: two servers appending to one spool would each replay the other's records. */
    private FileChannel lock;

    private Spool(Path dir, long maxBytes) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = Math.min(MAX_SEGMENT, Math.max(1, maxBytes / 4));
    }

    /** Opens the spool in {@code dir}, reading what an earlier run left there: see {@link #replay()}. */
    static Spool open(Path dir, long maxBytes) throws IOException {
        Spool spool = new Spool(dir, maxBytes);
        Files.createDirectories(dir);
        spool.lock = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held;
        try {
            held = spool.lock.tryLock();
        } catch (OverlappingFileLockException e) {
            held = null;
        }
        if (held == null) {
            spool.lock.close();
            throw new IOException("the spool " + dir + " is in use by another CallSocket: give each server a dataDir of its own");
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        }
        for (Path file : files) {
            spool.load(file);
        }
        return spool;
    }

    /** The records an earlier run left, oldest first: they go to the database before any new one. */
    List<Entry> replay() {
        return List.copyOf(replay);
    }

    private void load(Path file) throws IOException {
        String name = file.getFileName().toString();
        nextSegment = Math.max(nextSegment, Long.parseLong(name.substring(0, name.length() - SUFFIX.length())) + 1);
        byte[] bytes = Files.readAllBytes(file);
        int complete = lastNewline(bytes) + 1;
        if (complete < bytes.length) {
            // A line cut by a crash was never fsync'd, so never acknowledged: the call was not closed
            // with 1000 for it. Cut it off so the next line starts clean.
            LOG.log(Level.WARNING, "spool {0}: dropping {1} bytes of a record cut short by a crash",
                    file, bytes.length - complete);
            try (FileChannel truncate = FileChannel.open(file, StandardOpenOption.WRITE)) {
                truncate.truncate(complete);
                truncate.force(true);
            }
        }
        Segment segment = new Segment(file, complete);
        for (String line : new String(bytes, 0, complete, StandardCharsets.UTF_8).split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            try {
                replay.add(new Entry(nextSeq, StoredRecord.fromLine(line), true));
                segment.lastSeq = nextSeq++;
            } catch (RuntimeException damaged) {
                // Kept aside, never silently gone: an operator can read it.
                LOG.log(Level.ERROR, "spool {0}: unreadable record kept in unreadable.txt: {1}", file, damaged.toString());
                Files.writeString(dir.resolve("unreadable.txt"), line + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
            }
        }
        segments.add(segment);
        totalBytes += complete;
    }

    /**
     * Appends the records and syncs them to disk.
     *
     * @return for each record, its entry; null for one refused because the spool is full
     */
    synchronized List<Entry> append(List<StoredRecord> records) throws IOException {
        List<Entry> out = new ArrayList<>(records.size());
        boolean written = false;
        for (StoredRecord stored : records) {
            byte[] line = (stored.toLine() + "\n").getBytes(StandardCharsets.UTF_8);
            if (totalBytes + line.length > maxBytes) {
                out.add(null);
                continue;
            }
            if (current == null || current.bytes >= segmentBytes) {
                roll();
            }
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            written = true;
            current.bytes += line.length;
            totalBytes += line.length;
            current.lastSeq = nextSeq;
            out.add(new Entry(nextSeq++, stored, false));
        }
        if (written) {
            channel.force(false);
        }
        return out;
    }

    /** Whether {@link #forget} would delete a segment now. */
    synchronized boolean canForget(long committedSeq) {
        Segment oldest = segments.peekFirst();
        return oldest != null && oldest != current && oldest.lastSeq <= committedSeq;
    }

    /** Deletes the segments whose records all have a seq up to {@code committedSeq}. */
    synchronized void forget(long committedSeq) throws IOException {
        while (canForget(committedSeq)) {
            Segment oldest = segments.removeFirst();
            Files.deleteIfExists(oldest.path);
            totalBytes -= oldest.bytes;
        }
    }

    /** Deletes every segment and closes: the database has every record. */
    synchronized void clear() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
        for (Segment segment : segments) {
            Files.deleteIfExists(segment.path);
        }
        segments.clear();
        current = null;
        totalBytes = 0;
        close();
    }

    synchronized long bytes() {
        return totalBytes;
    }

    Path dir() {
        return dir;
    }

    private void roll() throws IOException {
        if (channel != null) {
            channel.force(false);
            channel.close();
        }
        Path path = dir.resolve(String.format("%016d%s", nextSegment++, SUFFIX));
        channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        // The new file's name must survive a crash too, not only its content.
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        }
        current = new Segment(path, 0);
        segments.add(current);
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
        if (lock != null) {
            lock.close();
            lock = null;
        }
    }

    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
