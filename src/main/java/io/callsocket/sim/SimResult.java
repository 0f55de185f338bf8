package io.callsocket.sim;

import io.callsocket.Json;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A run's result: JSON for machines, a Markdown table for people. Latencies in milliseconds. */
public record SimResult(
        String label,
        String url,
        String startedAt,
        double seconds,
        int concurrentCalls,
        double callsPerSecond,
        long callsStarted,
        long callsAnswered,
        long callsCompleted,
        long callsFailed,
        Map<String, Long> failureReasons,
        long framesSent,
        long framesEchoed,
        long framesLost,
        long framesOutOfOrder,
        long framesMisrouted,
        long framesUnechoedAtHangup,
        Map<String, Double> answerLatencyMs,
        Map<String, Double> echoRoundTripMs,
        Map<String, Double> serverDtmfLatenessMs,
        Map<String, Double> serverHangupLatenessMs,
        Map<String, Double> simulatorSendLatenessMs,
        double simulatorCpuCores) {

    static SimResult of(SimOptions options, Stats stats, Instant startedAt, Duration wall, long cpuNanos) {
        return new SimResult(options.label(), options.url().toString(), startedAt.toString(),
                wall.toMillis() / 1000.0, options.rate() > 0 ? 0 : options.calls(), options.rate(),
                stats.started.sum(), stats.answered.sum(), stats.completed.sum(), stats.failed(), stats.failureReasons(),
                stats.framesSent.sum(), stats.framesEchoed.sum(), stats.framesLost.sum(), stats.framesOutOfOrder.sum(),
                stats.framesMisrouted.sum(), stats.framesUnechoedAtEnd.sum(),
                Simulator.percentiles(stats.answerLatency), Simulator.percentiles(stats.echoRoundTrip),
                Simulator.percentiles(stats.dtmfLateness), Simulator.percentiles(stats.hangupLateness),
                Simulator.percentiles(stats.sendLateness), (double) cpuNanos / wall.toNanos());
    }

    /** Real time held: every call completed, no frame lost, echo p99 under 20 ms. */
    public boolean realTime() {
        return callsFailed == 0 && callsStarted > 0 && framesLost == 0 && framesMisrouted == 0
                && echoRoundTripMs.get("p99") < 20.0;
    }

    public String markdown() {
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("calls started / answered / completed / failed",
                callsStarted + " / " + callsAnswered + " / " + callsCompleted + " / " + callsFailed);
        if (!failureReasons.isEmpty()) {
            rows.put("failures", failureReasons.toString());
        }
        rows.put("frames sent / echoed / lost / out of order", framesSent + " / " + framesEchoed + " / " + framesLost
                + " / " + framesOutOfOrder);
        rows.put("echo round trip p50 / p99 / p99.9 / max (ms)", four(echoRoundTripMs));
        rows.put("incoming_call to answer p50 / p99 / p99.9 / max (ms)", four(answerLatencyMs));
        rows.put("server dtmf late by p50 / p99 / p99.9 / max (ms)", four(serverDtmfLatenessMs));
        rows.put("server hangup late by p50 / p99 / p99.9 / max (ms)", four(serverHangupLatenessMs));
        rows.put("simulator send late by p50 / p99 / p99.9 / max (ms)", four(simulatorSendLatenessMs));
        rows.put("simulator CPU (cores)", String.format("%.2f", simulatorCpuCores));
        rows.put("real time held", realTime() ? "yes" : "no");
        StringBuilder out = new StringBuilder("| " + label + " (" + (concurrentCalls > 0 ? concurrentCalls + " calls"
                : callsPerSecond + " calls/s") + ", " + seconds + " s) | |\n|---|---|\n");
        rows.forEach((name, value) -> out.append("| ").append(name).append(" | ").append(value).append(" |\n"));
        return out.toString();
    }

    public void write(Path folder) throws IOException {
        Simulator.writeString(folder.resolve(label + ".json"), Json.JSONB.toJson(this));
        Simulator.writeString(folder.resolve(label + ".md"), markdown());
    }

    private static String four(Map<String, Double> p) {
        return p.get("count") == 0 ? "-" : String.format("%.2f / %.2f / %.2f / %.2f", p.get("p50"), p.get("p99"), p.get("p99.9"), p.get("max"));
    }
}
