package io.callsocket.sim;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The simulator's command line: {@code --name=value}; every loop it drives is bounded by these. */
public record SimOptions(
        URI url,
        int calls,
        double rate,
        int durationSeconds,
        int rampSeconds,
        int connectDelayMs,
        AudioSource.Format format,
        int sampleRate,
        Path wav,
        boolean audio,
        double callerHangupFraction,
        int callLengthMs,
        List<DtmfPress> dtmf,
        int expectDtmfMs,
        int expectHangupMs,
        int clients,
        Path out,
        String label,
        long seed) {

    /** A caller digit pressed at {@code atMs} after answer. */
    public record DtmfPress(int atMs, String digit) {
    }

    static final Map<String, String> HELP = new LinkedHashMap<>();

    static {
        HELP.put("url", "ws://localhost:4143/|server to call");
        HELP.put("calls", "10|concurrent calls to hold (ignored when rate > 0)");
        HELP.put("rate", "0|new calls per second instead of a fixed concurrency");
        HELP.put("duration", "30|seconds to keep starting calls; then the last ones finish");
        HELP.put("ramp", "5|seconds over which the concurrent calls are first started");
        HELP.put("connectDelay", "0|ms between connecting and sending incoming_call (the published flow shows 5000)");
        HELP.put("format", "L16|caller audio: L16, PCMU or PCMA");
        HELP.put("sampleRate", "8000|8000 or 16000");
        HELP.put("wav", "|16-bit mono WAV file for the caller's audio (default: a 440 Hz tone)");
        HELP.put("audio", "true|stream caller audio at the 20 ms clock (false: idle calls)");
        HELP.put("callerHangup", "0|fraction of calls the caller hangs up itself, after callLength");
        HELP.put("callLength", "6000|ms after answer when a caller who hangs up does so");
        HELP.put("dtmf", "1000:5|caller digits, as ms-after-answer:digit, comma separated (empty: none)");
        HELP.put("expectDtmf", "2000|the server's dtmfDelay, to measure how late its dtmf comes");
        HELP.put("expectHangup", "12000|the server's hangupDelay, to measure how late its hangup comes");
        HELP.put("clients", "1|client I/O threads (each a selector serving its share of the calls)");
        HELP.put("out", "|folder for result.json and result.md (default: print only)");
        HELP.put("label", "run|name of this run in the results");
        HELP.put("seed", "1|random seed (which calls hang up themselves)");
    }

    public static SimOptions parse(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        HELP.forEach((name, help) -> values.put(name, help.substring(0, help.indexOf('|'))));
        for (String arg : args) {
            int eq = arg.indexOf('=');
            String name = eq < 0 ? "" : arg.substring(2, eq);
            if (arg.equals("--help")) {
                throw new IllegalArgumentException(usage());
            }
            if (!arg.startsWith("--") || !values.containsKey(name)) {
                throw new IllegalArgumentException("unknown argument: " + arg + "\n" + usage());
            }
            values.put(name, arg.substring(eq + 1));
        }
        try {
            SimOptions options = new SimOptions(
                    URI.create(values.get("url")),
                    Integer.parseInt(values.get("calls")),
                    Double.parseDouble(values.get("rate")),
                    Integer.parseInt(values.get("duration")),
                    Integer.parseInt(values.get("ramp")),
                    Integer.parseInt(values.get("connectDelay")),
                    AudioSource.Format.valueOf(values.get("format")),
                    Integer.parseInt(values.get("sampleRate")),
                    values.get("wav").isEmpty() ? null : Path.of(values.get("wav")),
                    Boolean.parseBoolean(values.get("audio")),
                    Double.parseDouble(values.get("callerHangup")),
                    Integer.parseInt(values.get("callLength")),
                    dtmf(values.get("dtmf")),
                    Integer.parseInt(values.get("expectDtmf")),
                    Integer.parseInt(values.get("expectHangup")),
                    Integer.parseInt(values.get("clients")),
                    values.get("out").isEmpty() ? null : Path.of(values.get("out")),
                    values.get("label"),
                    Long.parseLong(values.get("seed")));
            options.check();
            return options;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + "\n" + usage(), e);
        }
    }

    private void check() {
        if (calls < 1 && rate <= 0) {
            throw new IllegalArgumentException("calls must be at least 1, or rate above 0");
        }
        if (durationSeconds < 1 || durationSeconds > 24 * 3600 || rampSeconds < 0) {
            throw new IllegalArgumentException("duration must be 1 s .. 24 h, ramp at least 0");
        }
        if (sampleRate != 8000 && sampleRate != 16000) {
            throw new IllegalArgumentException("sampleRate must be 8000 or 16000");
        }
        if (callerHangupFraction < 0 || callerHangupFraction > 1) {
            throw new IllegalArgumentException("callerHangup must be 0..1");
        }
    }

    static List<DtmfPress> dtmf(String script) {
        List<DtmfPress> presses = new ArrayList<>();
        for (String press : script.split(",")) {
            if (press.isBlank()) {
                continue;
            }
            String[] parts = press.trim().split(":");
            if (parts.length != 2 || parts[1].length() != 1 || "0123456789*#ABCD".indexOf(parts[1].charAt(0)) < 0) {
                throw new IllegalArgumentException("dtmf entries are ms:digit with a digit 0-9 * # A-D, got " + press);
            }
            presses.add(new DtmfPress(Integer.parseInt(parts[0]), parts[1]));
        }
        return List.copyOf(presses);
    }

    /** How long after answer a call that waits for the server's hangup may take before it is failed. */
    long callDeadlineMs() {
        return Math.max(expectHangupMs, callLengthMs) + 30_000L;
    }

    static String usage() {
        StringBuilder out = new StringBuilder("usage: Simulator [--name=value ...]\n");
        HELP.forEach((name, help) -> {
            int bar = help.indexOf('|');
            out.append(String.format("  --%-13s %s (default: %s)%n", name, help.substring(bar + 1), help.substring(0, bar)));
        });
        return out.toString();
    }
}
