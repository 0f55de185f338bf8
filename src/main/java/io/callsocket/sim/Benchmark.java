package io.callsocket.sim;

import io.callsocket.Json;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The load benchmark: starts the server in its own JVM, runs the simulator against it at rising
 * concurrency, samples the server's CPU and RSS from /proc, and does the same against the bare
 * echo endpoint, so CallSocket's own cost is a ratio measured in one run. Run by bench/run.sh.
 */
public final class Benchmark {
    private static final long CLOCK_TICKS_PER_SECOND = 100;
    private static final long PAGE_SIZE = 4096;
    private static final int WARMUP_CALLS_PER_SECOND = 150;

    /** One load level against one server; its CPU in cores, {@code serverKernelCores} of it in the kernel. */
    public record Step(String target, int calls, SimResult result, double serverCpuCores, double serverKernelCores,
                       double serverPeakRssMb) {
    }

    public record Memory(int idleCalls, double rssBeforeMb, double rssWithCallsMb, double kbPerIdleCall) {
    }

    /** Calls set up and torn down at a steady rate without audio: what one call costs the server. */
    public record CallRate(String target, int callsPerSecond, int seconds, long callsCompleted, long callsFailed,
                           double serverCpuMsPerCall) {
    }

    public record Report(String startedAt, String machine, int warmupSeconds, List<Step> steps,
                         Map<String, Integer> largestRealTimeLoad, List<CallRate> callRates, Memory memory) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>(Map.of("levels", "100,250,500,750,1000,1500,2000,4000",
                "seconds", "30", "ramp", "10", "out", "bench/results", "targets", "callsocket,bare", "memoryCalls", "2000",
                "warmup", "60", "callRate", "100"));
        for (String arg : args) {
            String[] pair = arg.replaceFirst("^--", "").split("=", 2);
            if (pair.length != 2 || !options.containsKey(pair[0])) {
                throw new IllegalArgumentException("unknown argument " + arg + "; known: " + options);
            }
            options.put(pair[0], pair[1]);
        }
        int seconds = Integer.parseInt(options.get("seconds"));
        int ramp = Integer.parseInt(options.get("ramp"));
        int warmup = Integer.parseInt(options.get("warmup"));
        int callRate = Integer.parseInt(options.get("callRate"));
        List<Step> steps = new ArrayList<>();
        List<CallRate> callRates = new ArrayList<>();
        Map<String, Integer> largest = new LinkedHashMap<>();
        for (String target : options.get("targets").split(",")) {
            largest.put(target, 0);
            try (ServerProcess server = ServerProcess.start(target)) {
                warmUp(server, target, warmup);
                for (String level : options.get("levels").split(",")) {
                    int calls = Integer.parseInt(level.trim());
                    Step step = runStep(server, target, calls, seconds, ramp, true);
                    steps.add(step);
                    System.err.println(step.result().markdown());
                    if (!step.result().realTime()) {
                        break; // higher loads will not hold either; spare the machine
                    }
                    largest.put(target, calls);
                }
                if (callRate > 0) {
                    callRates.add(runCallRate(server, target, callRate, seconds));
                }
            }
        }
        Memory memory = null;
        int memoryCalls = Integer.parseInt(options.get("memoryCalls"));
        if (memoryCalls > 0) {
            try (ServerProcess server = ServerProcess.start("callsocket")) {
                double before = server.rssMb();
                Step idle = runStep(server, "callsocket idle", memoryCalls, 20, ramp, false);
                memory = new Memory(memoryCalls, before, idle.serverPeakRssMb(),
                        (idle.serverPeakRssMb() - before) * 1024 / memoryCalls);
            }
        }
        Report report = new Report(Instant.now().toString(), machine(), warmup, steps, largest, callRates, memory);
        Path out = Path.of(options.get("out"));
        Simulator.writeString(out.resolve("benchmark.json"), Json.JSONB.toJson(report));
        Simulator.writeString(out.resolve("benchmark.md"), markdown(report));
        System.out.println(markdown(report));
    }

    /**
     * Short calls at a steady rate before the first level, so that every level meets a server whose
     * call set-up and teardown (JSON, the record's spool and database) the JIT has compiled. Cold,
     * CallSocket's server spent 6.8 ms of CPU a call, most of it in the C2 compiler (H2's code),
     * falling to 1.3 to 2 ms over the next 10,000 calls. Without it, a level charges the compiler to
     * CallSocket's logic.
     */
    private static void warmUp(ServerProcess server, String target, int seconds) throws Exception {
        if (seconds == 0) {
            return;
        }
        SimOptions options = SimOptions.parse(new String[] {
                "--url=ws://localhost:" + server.port + "/", "--rate=" + WARMUP_CALLS_PER_SECOND, "--duration=" + seconds,
                "--callerHangup=1",
                "--callLength=3000", "--expectHangup=" + ServerProcess.HANGUP_DELAY_MS, "--label=" + target + "-warmup"});
        SimResult result = new Simulator(options).run();
        System.err.printf("%s warm-up: %d calls completed, %d failed%n", target, result.callsCompleted(), result.callsFailed());
    }

    /** One-second calls without audio, {@code rate} a second for {@code seconds}, on the warmed server. */
    private static CallRate runCallRate(ServerProcess server, String target, int rate, int seconds) throws Exception {
        SimOptions options = SimOptions.parse(new String[] {
                "--url=ws://localhost:" + server.port + "/", "--rate=" + rate, "--duration=" + seconds, "--audio=false",
                "--callerHangup=1", "--callLength=1000", "--expectHangup=" + ServerProcess.HANGUP_DELAY_MS,
                "--label=" + target + "-rate-" + rate});
        long[] cpuBefore = server.cpuTicks();
        SimResult result = new Simulator(options).run();
        long[] cpuAfter = server.cpuTicks();
        double cpuMs = (cpuAfter[0] + cpuAfter[1] - cpuBefore[0] - cpuBefore[1]) * 1000.0 / CLOCK_TICKS_PER_SECOND;
        return new CallRate(target, rate, seconds, result.callsCompleted(), result.callsFailed(),
                cpuMs / Math.max(1, result.callsStarted()));
    }

    /** Calls are held for the whole step: each caller hangs up after {@code seconds}. */
    private static Step runStep(ServerProcess server, String target, int calls, int seconds, int ramp, boolean audio)
            throws Exception {
        SimOptions options = SimOptions.parse(new String[] {
                "--url=ws://localhost:" + server.port + "/", "--calls=" + calls, "--duration=" + (ramp + 1),
                "--ramp=" + ramp, "--callerHangup=1", "--callLength=" + seconds * 1000, "--audio=" + audio,
                "--expectHangup=" + ServerProcess.HANGUP_DELAY_MS, "--label=" + target.replace(' ', '-') + "-" + calls});
        long[] cpuBefore = server.cpuTicks();
        long start = System.nanoTime();
        double[] peakRss = {server.rssMb()};
        ScheduledThreadPoolExecutor sampler = new ScheduledThreadPoolExecutor(1);
        sampler.scheduleAtFixedRate(() -> peakRss[0] = Math.max(peakRss[0], server.rssMb()), 0, 500, TimeUnit.MILLISECONDS);
        SimResult result = new Simulator(options).run();
        sampler.shutdownNow();
        double wall = (System.nanoTime() - start) / 1e9;
        long[] cpuAfter = server.cpuTicks();
        double user = (cpuAfter[0] - cpuBefore[0]) / (double) CLOCK_TICKS_PER_SECOND / wall;
        double kernel = (cpuAfter[1] - cpuBefore[1]) / (double) CLOCK_TICKS_PER_SECOND / wall;
        return new Step(target, calls, result, user + kernel, kernel, peakRss[0]);
    }

    static String markdown(Report report) {
        StringBuilder out = new StringBuilder("# CallSocket load benchmark, " + report.startedAt() + "\n\n"
                + report.machine() + "; each server warmed up by " + report.warmupSeconds()
                + " s of short calls (" + WARMUP_CALLS_PER_SECOND + " a second) before its first level\n\n"
                + "| server | calls | completed / failed | frames lost | echo p50 / p99 / p99.9 / max (ms) "
                + "| hangup late p99 (ms) | sim send late p99 (ms) | server CPU (cores; of it kernel) | sim CPU (cores) | server peak RSS (MB) | real time |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Step step : report.steps()) {
            SimResult r = step.result();
            Map<String, Double> echo = r.echoRoundTripMs();
            out.append(String.format("| %s | %d | %d / %d | %d | %.2f / %.2f / %.2f / %.2f | %s | %.2f | %.2f; %.2f | %.2f | %.0f | %s |%n",
                    step.target(), step.calls(), r.callsCompleted(), r.callsFailed(), r.framesLost(),
                    echo.get("p50"), echo.get("p99"), echo.get("p99.9"), echo.get("max"),
                    r.serverHangupLatenessMs().get("count") == 0 ? "-" : String.format("%.2f", r.serverHangupLatenessMs().get("p99")),
                    r.simulatorSendLatenessMs().get("p99"),
                    step.serverCpuCores(), step.serverKernelCores(), r.simulatorCpuCores(), step.serverPeakRssMb(),
                    r.realTime() ? "yes" : "no"));
        }
        out.append("\nLargest load held in real time (p99 echo under 20 ms, no frame lost, no call failed): ")
                .append(report.largestRealTimeLoad()).append("\n\n");
        out.append("CallSocket over the bare echo endpoint, same load, same run:\n\n| calls | server CPU ratio | echo p99 ratio |\n|---|---|---|\n");
        for (Step ours : report.steps()) {
            for (Step bare : report.steps()) {
                if (ours.target().equals("callsocket") && bare.target().equals("bare") && ours.calls() == bare.calls()) {
                    out.append(String.format("| %d | %.2f | %.2f |%n", ours.calls(), ours.serverCpuCores() / bare.serverCpuCores(),
                            ours.result().echoRoundTripMs().get("p99") / bare.result().echoRoundTripMs().get("p99")));
                }
            }
        }
        if (!report.callRates().isEmpty()) {
            out.append("\nCall set-up and teardown: one-second calls without audio at a steady rate, on the warmed server "
                    + "(its CPU over the run, per call started):\n\n| server | calls a second | completed / failed "
                    + "| server CPU per call (ms) |\n|---|---|---|---|\n");
            for (CallRate rate : report.callRates()) {
                out.append(String.format("| %s | %d | %d / %d | %.2f |%n", rate.target(), rate.callsPerSecond(),
                        rate.callsCompleted(), rate.callsFailed(), rate.serverCpuMsPerCall()));
            }
        }
        if (report.memory() != null) {
            Memory m = report.memory();
            out.append(String.format("%nMemory: %d idle answered calls raised the server's RSS from %.0f MB to %.0f MB: %.1f KB per idle call.%n",
                    m.idleCalls(), m.rssBeforeMb(), m.rssWithCallsMb(), m.kbPerIdleCall()));
        }
        return out.toString();
    }

    private static String machine() throws IOException {
        String model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        return Runtime.getRuntime().availableProcessors() + " cores (" + model + "), server and simulator on the same machine, "
                + "loopback; Java " + System.getProperty("java.version");
    }

    /** A server under test in its own JVM, on a free port. */
    static final class ServerProcess implements AutoCloseable {
        /** The server's own hangup comes after the simulator's callers have hung up. */
        static final int HANGUP_DELAY_MS = 600_000;

        final Process process;
        final int port;

        private ServerProcess(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static ServerProcess start(String target) throws Exception {
            int port;
            try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
                port = free.getLocalPort();
            }
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            String javaOptions = System.getenv("SERVER_JAVA_OPTS"); // e.g. a JFR recording while profiling
            if (javaOptions != null && !javaOptions.isBlank()) {
                command.addAll(List.of(javaOptions.trim().split("\\s+")));
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path")));
            if (target.equals("bare")) {
                command.addAll(List.of(BareEchoServer.class.getName(), "--port=" + port));
            } else {
                command.addAll(List.of("-Djava.util.logging.config.file=bench/logging.properties", "io.callsocket.Main",
                        "--port=" + port, "--hangupDelay=" + HANGUP_DELAY_MS, "--outboundAudioFrames=50"));
            }
            Path log = Path.of("target", "bench-" + target + ".log");
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try (Socket probe = new Socket("localhost", port)) {
                    return new ServerProcess(process, port);
                } catch (IOException notYet) {
                    if (System.nanoTime() > deadline || !process.isAlive()) {
                        process.destroyForcibly();
                        throw new IllegalStateException(target + " server did not start; see " + log);
                    }
                    Thread.sleep(100);
                }
            }
        }

        /** User and system time so far, in clock ticks. */
        long[] cpuTicks() {
            try {
                String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12])}; // utime, stime
            } catch (IOException e) {
                return new long[2];
            }
        }

        double rssMb() {
            try {
                String statm = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "statm"));
                return Long.parseLong(statm.split(" ")[1]) * PAGE_SIZE / (1024.0 * 1024.0);
            } catch (IOException e) {
                return 0;
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
