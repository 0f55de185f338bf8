package io.callsocket.sim;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Plays the telephony platform against a CallSocket server: many calls at once, audio on the real
 * 20 ms clock, and a report of what came back and how late.
 */
public final class Simulator {
    /** Frames of all calls are spread over the 20 ms period, as calls that start at random times are. */
    private static final int PHASES = 20;
    private static final long RETRY_AFTER_FAILURE_MS = 1000;
    private static final int CLOCK_THREADS = 2;

    private final SimOptions options;
    private final Stats stats = new Stats();
    private final AudioSource audio;
    private final List<WsClient> clients = new ArrayList<>();
    private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(2, daemon("sim-timer"));
    private final ScheduledThreadPoolExecutor clock = new ScheduledThreadPoolExecutor(CLOCK_THREADS, daemon("sim-audio-clock"));
    private final List<List<SimCall>> phases = new ArrayList<>();
    private final List<CompletableFuture<Void>> running = new ArrayList<>();
    private final Random random;
    private boolean stopping;
    private int nextNumber;

    public Simulator(SimOptions options) throws IOException {
        this.options = options;
        this.audio = options.wav() == null ? AudioSource.tone(options.format(), options.sampleRate())
                : AudioSource.wav(options.wav(), options.format(), options.sampleRate());
        this.random = new Random(options.seed());
        int clientCount = options.clients() > 0 ? options.clients() : 1;
        for (int i = 0; i < clientCount; i++) {
            clients.add(new WsClient("sim-io-" + i));
        }
        for (int i = 0; i < PHASES; i++) {
            phases.add(new CopyOnWriteArrayList<>());
        }
        timers.setRemoveOnCancelPolicy(true);
    }

    public static void main(String[] args) throws Exception {
        SimOptions options;
        try {
            options = SimOptions.parse(args);
        } catch (IllegalArgumentException bad) {
            System.err.println(bad.getMessage());
            System.exit(2);
            return;
        }
        SimResult result = new Simulator(options).run();
        System.out.println(result.markdown());
        if (options.out() != null) {
            result.write(options.out());
        }
        System.exit(result.callsFailed() == 0 ? 0 : 1);
    }

    public SimResult run() throws InterruptedException {
        long cpuBefore = processCpuNanos();
        long start = System.nanoTime();
        Instant startedAt = Instant.now();
        long deadline = start + TimeUnit.SECONDS.toNanos(options.durationSeconds());
        startAudioClock();
        ScheduledThreadPoolExecutor progress = new ScheduledThreadPoolExecutor(1, daemon("sim-progress"));
        progress.scheduleAtFixedRate(() -> System.err.println(progressLine(start)), 1, 1, TimeUnit.SECONDS);
        if (options.rate() > 0) {
            long periodMicros = Math.max(1, (long) (1_000_000 / options.rate()));
            timers.scheduleAtFixedRate(() -> {
                if (System.nanoTime() < deadline) {
                    startCall(deadline);
                }
            }, 0, periodMicros, TimeUnit.MICROSECONDS);
        } else {
            long rampMicros = TimeUnit.SECONDS.toMicros(options.rampSeconds());
            for (int i = 0; i < options.calls(); i++) {
                timers.schedule(() -> startCall(deadline), rampMicros * i / options.calls(), TimeUnit.MICROSECONDS);
            }
        }
        TimeUnit.NANOSECONDS.sleep(Math.max(0, deadline - System.nanoTime()));
        List<CompletableFuture<Void>> last;
        synchronized (this) {
            stopping = true;
            last = new ArrayList<>(running);
        }
        try {
            CompletableFuture.allOf(last.toArray(CompletableFuture[]::new))
                    .get(options.connectDelayMs() + options.callDeadlineMs() + 5_000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            System.err.println("some calls did not finish: " + e);
        }
        long wall = System.nanoTime() - start;
        long cpu = processCpuNanos() - cpuBefore;
        progress.shutdownNow();
        clock.shutdownNow();
        timers.shutdownNow();
        for (WsClient client : clients) {
            try {
                client.close();
            } catch (java.io.IOException e) {
                System.err.println("closing the client: " + e);
            }
        }
        return SimResult.of(options, stats, startedAt, Duration.ofNanos(wall), cpu);
    }

    private void startCall(long deadline) {
        SimCall call;
        synchronized (this) {
            if (stopping || System.nanoTime() >= deadline) {
                return;
            }
            int number = nextNumber++;
            call = new SimCall(number, options, stats, audio, timers, random.nextDouble() < options.callerHangupFraction());
            phases.get(number % PHASES).add(call);
            running.add(call.start(clients.get(number % clients.size())));
            running.removeIf(CompletableFuture::isDone);
        }
        long failedBefore = stats.failed();
        running.get(running.size() - 1).whenComplete((ok, error) -> {
            phases.forEach(phase -> phase.remove(call));
            if (options.rate() <= 0) {
                // Hold the concurrency until the deadline; after a failure, wait a moment rather than
                // hammer a server that refuses connections.
                long delay = stats.failed() > failedBefore ? RETRY_AFTER_FAILURE_MS : 0;
                timers.schedule(() -> startCall(deadline), delay, TimeUnit.MILLISECONDS);
            }
        });
    }

    /**
     * One tick a millisecond, each sending the frames of one phase, so every call sends every 20 ms.
     * Two threads take alternate ticks, so a slow tick does not hold up the next.
     */
    private void startAudioClock() {
        long first = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOCK_THREADS);
        for (int thread = 0; thread < CLOCK_THREADS; thread++) {
            int offset = thread;
            long[] ticks = {0};
            clock.scheduleAtFixedRate(() -> {
                long n = ticks[0]++ * CLOCK_THREADS + offset;
                Stats.record(stats.sendLateness, (System.nanoTime() - first - TimeUnit.MILLISECONDS.toNanos(n)) / 1000);
                for (SimCall call : phases.get((int) (n % PHASES))) {
                    call.sendFrame();
                }
            }, first - System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(offset), TimeUnit.MILLISECONDS.toNanos(CLOCK_THREADS),
                    TimeUnit.NANOSECONDS);
        }
    }

    private String progressLine(long start) {
        Histogram echo = stats.echoRoundTrip.copy();
        return String.format("t=%ds active=%d answered=%d completed=%d failed=%d frames sent=%d echoed=%d lost=%d echo p99=%.2fms",
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start), stats.active.sum(), stats.answered.sum(),
                stats.completed.sum(), stats.failed(), stats.framesSent.sum(), stats.framesEchoed.sum(),
                stats.framesLost.sum(), echo.getValueAtPercentile(99) / 1000.0);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    static Map<String, Double> percentiles(Histogram histogram) {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("count", (double) histogram.getTotalCount());
        values.put("p50", histogram.getValueAtPercentile(50) / 1000.0);
        values.put("p99", histogram.getValueAtPercentile(99) / 1000.0);
        values.put("p99.9", histogram.getValueAtPercentile(99.9) / 1000.0);
        values.put("max", histogram.getMaxValue() / 1000.0);
        return values;
    }

    static void writeString(java.nio.file.Path file, String text) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, text);
    }
}
