package io.callsocket.sim;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** What a run measured, shared by every simulated call. Times in microseconds. */
public final class Stats {
    private static final long MAX_MICROS = 120_000_000L;

    final LongAdder started = new LongAdder();
    final LongAdder answered = new LongAdder();
    final LongAdder completed = new LongAdder();
    final LongAdder active = new LongAdder();
    final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    final LongAdder framesSent = new LongAdder();
    final LongAdder framesEchoed = new LongAdder();
    final LongAdder framesLost = new LongAdder();
    final LongAdder framesOutOfOrder = new LongAdder();
    final LongAdder framesUnechoedAtEnd = new LongAdder();
    final LongAdder framesMisrouted = new LongAdder();
    final Histogram answerLatency = histogram();
    final Histogram echoRoundTrip = histogram();
    final Histogram dtmfLateness = histogram();
    final Histogram hangupLateness = histogram();
    final Histogram sendLateness = histogram();

    private static Histogram histogram() {
        return new SynchronizedHistogram(MAX_MICROS, 3);
    }

    void fail(String reason) {
        failures.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    long failed() {
        return failures.values().stream().mapToLong(LongAdder::sum).sum();
    }

    Map<String, Long> failureReasons() {
        Map<String, Long> reasons = new TreeMap<>();
        failures.forEach((reason, count) -> reasons.put(reason, count.sum()));
        return reasons;
    }

    static void record(Histogram histogram, long micros) {
        histogram.recordValue(Math.max(0, Math.min(micros, MAX_MICROS)));
    }
}
