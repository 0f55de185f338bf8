package io.callsocket.containers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What the container targets share: where things are, free ports, the wait for start-up, and their logs. */
final class Containers {
    /** Payara was once seen taking 33 s to start on a loaded machine. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    /** A line a clean run must not log; Payara's level is in brackets, Tomcat's and JUL's stand alone. */
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[;\\d]*m");
    private static final Pattern PROBLEM = Pattern.compile("\\bSEVERE\\b|\\bERROR\\b|IllegalStateException");

    private Containers() {
    }

    /** A system property the build sets (see the failsafe configuration in pom.xml). */
    static Path built(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is not set: run the ITs with mvn verify");
        }
        Path path = Path.of(value);
        if (!Files.exists(path)) {
            throw new IllegalStateException(property + ": " + path + " does not exist");
        }
        return path;
    }

    static Path war() {
        return built("callsocket.war");
    }

    /** A fresh folder under target/containers for one target's files. */
    static Path freshDir(String name) throws IOException {
        Path dir = Path.of("target", "containers", name).toAbsolutePath();
        delete(dir);
        return Files.createDirectories(dir);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Waits until {@code log} has a line matching {@code ready}; fails at once if the process ends or
     * a line matches {@code failed}. A container's start-up announces itself only in its log, so
     * this waits on the file system's events for the log's folder, with a short timeout to look at
     * the process again.
     */
    static void awaitLog(Process process, Path log, Pattern ready, Pattern failed, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (WatchService events = log.getFileSystem().newWatchService()) {
            Files.createDirectories(log.getParent());
            log.getParent().register(events, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
            while (true) {
                List<String> lines = Files.exists(log) ? readLines(log) : List.of();
                for (String line : lines) {
                    if (failed.matcher(line).find()) {
                        throw new IllegalStateException("start-up failed (" + log + "): " + line);
                    }
                    if (ready.matcher(line).find()) {
                        return;
                    }
                }
                if (!process.isAlive()) {
                    throw new IllegalStateException("the server exited with " + process.exitValue() + " before it was ready; see " + log);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not ready within " + timeout + "; see " + log);
                }
                WatchKey changed = events.poll(500, TimeUnit.MILLISECONDS);
                if (changed != null) {
                    changed.pollEvents();
                    changed.reset();
                }
            }
        }
    }

    /** Stops the server as an operator would (SIGTERM runs its shutdown hooks), then kills it if it hangs. */
    static void stop(Process process) throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** Lines that a clean run must not log, each prefixed with its file's name. */
    static List<String> problems(List<Path> logs) throws IOException {
        return problems(logs, List.of());
    }

    /**
     * As {@link #problems(List)}, except records a pattern in {@code tolerated} finds in the line
     * and the three after it (a record's message and the top of its stack trace): for a
     * container's own known faults, never CallSocket's.
     */
    static List<String> problems(List<Path> logs, List<Pattern> tolerated) throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path log : logs) {
            List<String> lines = readLines(log);
            for (int i = 0; i < lines.size(); i++) {
                if (PROBLEM.matcher(lines.get(i)).find()) {
                    String record = String.join("\n", lines.subList(i, Math.min(lines.size(), i + 4)));
                    if (tolerated.stream().noneMatch(p -> p.matcher(record).find())) {
                        problems.add(log.getFileName() + ": " + record);
                    }
                }
            }
        }
        return problems;
    }

    /** The logs go to target/container-logs/NAME, the folder CI keeps when the build fails. */
    static void keepLogs(String name, List<Path> logs) throws IOException {
        Path kept = Path.of("target", "container-logs", name);
        delete(kept);
        Files.createDirectories(kept);
        for (Path log : logs) {
            Files.copy(log, kept.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static List<Path> filesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Payara colours its level names ("ESC[1;91mSEVERE"), which would hide them from a word match. */
    private static List<String> readLines(Path file) {
        return read(file).lines().map(line -> ANSI.matcher(line).replaceAll("")).toList();
    }

    static void delete(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
