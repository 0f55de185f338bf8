package io.callsocket.sim;

import io.callsocket.Json;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One simulated call, the platform's side: connect, incoming_call, audio at the 20 ms clock while
 * answered, caller digits, a hangup from either side, the CDR, and the close the server owes us.
 * Each audio frame carries its sequence number and the call's number in its first 8 bytes, so an
 * echo can be timed, and one that is late, missing or someone else's can be told.
 */
final class SimCall implements WsClient.Listener {
    private static final int SEQUENCE_BYTES = 8;

    private final int number;
    private final String sessionId;
    private final String didNumber;
    private final SimOptions options;
    private final Stats stats;
    private final AudioSource audio;
    private final ScheduledExecutorService timers;
    private final boolean callerHangsUp;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    private volatile WsClient.Connection socket;

    private Instant startedAt;
    private volatile Instant answeredAt;
    private long incomingSentNanos;
    private long answeredNanos;
    private volatile boolean streaming;
    private boolean ended;
    private long[] sentNanos = new long[1024];
    private int framesSent;
    private boolean[] echoed = new boolean[1024];
    private int highestEchoed = -1;

    SimCall(int number, SimOptions options, Stats stats, AudioSource audio, ScheduledExecutorService timers,
            boolean callerHangsUp) {
        this.number = number;
        this.sessionId = "sim-" + ProcessHandle.current().pid() + "-" + number;
        this.didNumber = String.format("+1555%07d", 1_000_000 + number % 9_000_000);
        this.options = options;
        this.stats = stats;
        this.audio = audio;
        this.timers = timers;
        this.callerHangsUp = callerHangsUp;
    }

    /** Completes when the call is over, well or not; never exceptionally. */
    CompletableFuture<Void> start(WsClient client) {
        stats.started.increment();
        stats.active.increment();
        startedAt = Instant.now();
        client.connect(options.url(), this);
        ScheduledFuture<?> deadline = timers.schedule(() -> finish(answeredAt == null ? "no answer" : "no close before deadline"),
                options.connectDelayMs() + options.callDeadlineMs(), TimeUnit.MILLISECONDS);
        done.whenComplete((ok, error) -> deadline.cancel(false));
        return done;
    }

    @Override
    public void onOpen(WsClient.Connection connection) {
        socket = connection;
        timers.schedule(this::sendIncomingCall, options.connectDelayMs(), TimeUnit.MILLISECONDS);
    }

    private void sendIncomingCall() {
        String callerId = String.format("+1%03d%07d", 200 + number % 700, number % 10_000_000);
        synchronized (this) {
            incomingSentNanos = System.nanoTime(); // before the send: the answer may beat the next line
        }
        sendText("{\"event\":\"incoming_call\",\"callerId\":\"" + callerId + "\",\"didNumber\":\"" + didNumber
                + "\",\"sessionId\":\"" + sessionId + "\"}");
    }

    /** Called by the audio clock every 20 ms while streaming. */
    void sendFrame() {
        byte[] frame;
        synchronized (this) {
            if (!streaming) {
                return;
            }
            int sequence = framesSent++;
            if (sequence == sentNanos.length) {
                sentNanos = Arrays.copyOf(sentNanos, sequence * 2);
                echoed = Arrays.copyOf(echoed, sequence * 2);
            }
            frame = audio.frame(sequence);
            ByteBuffer.wrap(frame).putInt(sequence).putInt(number);
            sentNanos[sequence] = System.nanoTime();
        }
        stats.framesSent.increment();
        socket.sendBinary(frame);
    }

    @Override
    public void onText(String message) {
        onCommand(message);
    }

    @Override
    public void onBinary(ByteBuffer frame) {
        onEcho(frame, System.nanoTime());
    }

    @Override
    public void onClose(int statusCode, String reason) {
        boolean cdrSent;
        synchronized (this) {
            cdrSent = ended;
        }
        finish(statusCode == 1000 && cdrSent ? null : "closed " + statusCode + " " + reason);
    }

    @Override
    public void onError(Throwable error) {
        finish((socket == null ? "connect failed: " : "error: ") + rootMessage(error));
    }

    private void onCommand(String message) {
        long now = System.nanoTime();
        String event = event(message);
        switch (event) {
            case "answer" -> onAnswer(now);
            case "dtmf" -> {
                if (answeredNanos != 0) {
                    Stats.record(stats.dtmfLateness, micros(now - answeredNanos) - options.expectDtmfMs() * 1000L);
                }
            }
            case "hangup" -> {
                if (answeredNanos != 0) {
                    Stats.record(stats.hangupLateness, micros(now - answeredNanos) - options.expectHangupMs() * 1000L);
                }
                hangUp(false);
            }
            default -> stats.fail("unexpected message: " + event);
        }
    }

    private void onAnswer(long now) {
        synchronized (this) {
            if (answeredAt != null) {
                return;
            }
            answeredAt = Instant.now();
            answeredNanos = now;
            Stats.record(stats.answerLatency, micros(now - incomingSentNanos));
            streaming = options.audio();
        }
        stats.answered.increment();
        for (SimOptions.DtmfPress press : options.dtmf()) {
            timers.schedule(() -> {
                if (streaming) {
                    sendText("{\"event\":\"dtmf\",\"digit\":\"" + press.digit() + "\"}");
                }
            }, press.atMs(), TimeUnit.MILLISECONDS);
        }
        if (callerHangsUp) {
            timers.schedule(() -> hangUp(true), options.callLengthMs(), TimeUnit.MILLISECONDS);
        }
    }

    private void onEcho(ByteBuffer frame, long now) {
        if (frame.remaining() < SEQUENCE_BYTES) {
            stats.framesMisrouted.increment();
            return;
        }
        int sequence = frame.getInt(0);
        int owner = frame.getInt(4);
        synchronized (this) {
            if (owner != number || sequence < 0 || sequence >= framesSent || echoed[sequence]) {
                stats.framesMisrouted.increment();
                return;
            }
            echoed[sequence] = true;
            if (sequence < highestEchoed) {
                stats.framesOutOfOrder.increment();
            }
            highestEchoed = Math.max(highestEchoed, sequence);
            Stats.record(stats.echoRoundTrip, micros(now - sentNanos[sequence]));
        }
        stats.framesEchoed.increment();
    }

    /** Stops the audio and sends the CDR; the caller's hangup first when it is the caller's. */
    private void hangUp(boolean byCaller) {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            streaming = false;
        }
        if (byCaller) {
            sendText("{\"event\":\"hangup\"}");
        }
        Map<String, Object> cdr = Cdr.of(sessionId, didNumber, startedAt, answeredAt, Instant.now(), byCaller);
        sendText(Json.JSONB.toJson(cdr));
    }

    private void sendText(String message) {
        socket.sendText(message);
    }

    private void finish(String failure) {
        synchronized (this) {
            if (done.isDone()) {
                return;
            }
            streaming = false;
            for (int i = 0; i <= highestEchoed; i++) {
                if (!echoed[i]) {
                    stats.framesLost.increment();
                }
            }
            stats.framesUnechoedAtEnd.add(framesSent - 1 - highestEchoed);
        }
        if (failure == null) {
            stats.completed.increment();
        } else {
            stats.fail(failure);
            WsClient.Connection connection = socket;
            if (connection != null) {
                connection.abort();
            }
        }
        stats.active.decrement();
        done.complete(null);
    }

    private static String event(String message) {
        int at = message.indexOf("\"event\"");
        if (at < 0) {
            return "(no event)";
        }
        int open = message.indexOf('"', message.indexOf(':', at) + 1);
        int close = message.indexOf('"', open + 1);
        return open < 0 || close < 0 ? "(bad event)" : message.substring(open + 1, close);
    }

    private static long micros(long nanos) {
        return nanos / 1000;
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
