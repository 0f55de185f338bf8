package io.callsocket;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One connection's call: feeds the WebSocket's events and its timers to the {@link CallMachine}
 * one at a time, and carries out what it returns. Lives in the Session's user properties.
 */
final class Call {
    private static final System.Logger LOG = System.getLogger(Call.class.getName());
    private static final String KEY = Call.class.getName();
    /** A close reason may carry at most 123 bytes. */
    private static final int MAX_CLOSE_REASON = 100;

    private final Session session;
    private final CallServer server;
    private final CallMachine machine;
    private final Sender sender;
    private final Map<CallTimer, ScheduledFuture<?>> timers = new EnumMap<>(CallTimer.class);
    private long framesIn;
    private long bytesIn;
    private long framesDroppedOutsideCall;
    private boolean recorded;
    /** How the connection closed, once it has: for the log line of the move to CLOSED. */
    private CloseReason closeReason;

    private Call(Session session, CallServer server) {
        this.session = session;
        this.server = server;
        this.machine = new CallMachine(server.settings(), Instant.now());
        this.sender = new Sender(session, server.settings().outboundAudioFrames());
    }

    /** Written once here, before any handler runs; never from another thread afterwards. */
    static Call open(Session session, CallServer server) {
        Call call = new Call(session, server);
        session.getUserProperties().put(KEY, call);
        synchronized (call) {
            call.apply(call.machine.start());
        }
        return call;
    }

    static Call of(Session session) {
        return (Call) session.getUserProperties().get(KEY);
    }

    synchronized String sessionId() {
        return machine.sessionId();
    }

    synchronized void onEvent(InboundEvent event) {
        apply(machine.onEvent(event, Instant.now(), id -> server.claim(id, this)));
    }

    /** The server is stopping: keep the record and tell the platform we are going away. */
    synchronized void onShutdown() {
        apply(machine.onShutdown(Instant.now()));
    }

    synchronized void onOversize(String reason) {
        apply(machine.onOversize(reason, Instant.now()));
    }

    synchronized void onBadMessage(String reason) {
        apply(machine.onBadMessage(reason));
    }

    /** Echoed frames are queued under the call's lock, so none can follow the hangup. */
    synchronized void onAudio(ByteBuffer frame) {
        int size = frame.remaining();
        if (size == 0) {
            return;
        }
        framesIn++;
        bytesIn += size;
        if (size > server.settings().maxBinaryMessage()) {
            // Checked here because Tyrus does not apply the session's limit to a programmatic handler.
            apply(machine.onOversize("audio frame larger than maxBinaryMessage " + server.settings().maxBinaryMessage()
                    + " bytes", Instant.now()));
            return;
        }
        if (!machine.echoes()) {
            framesDroppedOutsideCall++;
            return;
        }
        sender.sendAudio(ByteBuffer.allocate(size).put(frame).flip());
    }

    synchronized void onClosed(CloseReason reason) {
        closeReason = reason;
        apply(machine.onClosed(Instant.now()));
        server.closed(this);
        record();
    }

    synchronized void onError(Throwable error) {
        // Once closed, an error is the connection's last gasp (a peer dropping TCP after the close
        // frame, the container's own 1009): nothing is lost, so it is not worth a warning.
        Level level = machine.state() == CallState.CLOSED ? Level.DEBUG : Level.WARNING;
        LOG.log(level, "call {0}: connection error: {1}", label(), error.toString());
    }

    private synchronized void onTimer(CallTimer timer) {
        timers.remove(timer);
        apply(machine.onTimer(timer, Instant.now()));
    }

    private void apply(List<Action> actions) {
        for (Action action : actions) {
            if (action instanceof Action.Moved moved) {
                logMove(moved);
            } else if (action instanceof Action.Send send) {
                sender.send(send.command());
            } else if (action instanceof Action.Schedule schedule) {
                schedule(schedule.timer(), schedule.delay().toMillis());
            } else if (action instanceof Action.CancelTimers) {
                timers.values().forEach(timer -> timer.cancel(false));
                timers.clear();
            } else if (action instanceof Action.Reject reject) {
                LOG.log(Level.WARNING, "call {0}: message dropped: {1}", label(), LogText.quote(reject.reason()));
            } else if (action instanceof Action.Finish finish) {
                CloseReason close = closeReason(finish.closeCode(), finish.reason());
                record().whenComplete((kept, failure) -> {
                    if (failure != null) {
                        LOG.log(Level.ERROR, "call " + label() + ": record not kept", failure);
                    }
                    sender.close(failure == null ? close
                            : closeReason(CloseReason.CloseCodes.UNEXPECTED_CONDITION.getCode(), "record not kept"));
                });
            }
        }
    }

    private void schedule(CallTimer timer, long delayMillis) {
        timers.put(timer, server.timers().executor().schedule(() -> {
            try {
                onTimer(timer);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "call " + label() + ": timer " + timer + " failed", e);
            }
        }, delayMillis, TimeUnit.MILLISECONDS));
    }

    /** The record is kept once per connection, by whichever comes first: the CDR, a timeout, the close. */
    private CompletionStage<Void> record() {
        if (recorded) {
            return CompletableFuture.completedFuture(null);
        }
        recorded = true;
        CallRecord record = machine.toRecord(Instant.now(), sender.audio(framesIn, bytesIn, framesDroppedOutsideCall));
        if (record.cdrSessionMismatch()) {
            LOG.log(Level.WARNING, "call {0}: cdr names another sessionId {1}; stored and flagged",
                    label(), LogText.quote(record.cdr().sessionId()));
        }
        return server.store().save(record);
    }

    private void logMove(Action.Moved moved) {
        if (!LOG.isLoggable(Level.INFO)) {
            return;
        }
        InboundEvent.IncomingCall call = machine.incomingCall();
        String detail = moved.to() == CallState.ENDED || moved.to() == CallState.CLOSED
                ? ", ended by " + machine.endedBy() : "";
        if (moved.to() == CallState.CLOSED && closeReason != null) {
            detail += ", close " + closeReason.getCloseCode().getCode() + " " + LogText.quote(closeReason.getReasonPhrase());
        }
        LOG.log(Level.INFO, "call {0} caller={1} did={2}: {3} -> {4}{5}", label(),
                call == null ? "-" : LogText.quote(call.callerId()), call == null ? "-" : LogText.quote(call.didNumber()),
                moved.from(), moved.to(), detail);
    }

    private String label() {
        String sessionId = machine.sessionId();
        return sessionId != null ? LogText.quote(sessionId) : "(connection " + session.getId() + ")";
    }

    private static CloseReason closeReason(int code, String reason) {
        String phrase = reason.length() > MAX_CLOSE_REASON ? reason.substring(0, MAX_CLOSE_REASON) : reason;
        return new CloseReason(CloseReason.CloseCodes.getCloseCode(code), phrase);
    }
}
