package io.callsocket;

import io.callsocket.Action.CancelTimers;
import io.callsocket.Action.Finish;
import io.callsocket.Action.Moved;
import io.callsocket.Action.Reject;
import io.callsocket.Action.Schedule;
import io.callsocket.Action.Send;
import io.callsocket.InboundEvent.Cdr;
import io.callsocket.InboundEvent.Dtmf;
import io.callsocket.InboundEvent.IncomingCall;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static io.callsocket.CallState.ANSWERED;
import static io.callsocket.CallState.CLOSED;
import static io.callsocket.CallState.CONNECTED;
import static io.callsocket.CallState.ENDED;
import static io.callsocket.CallState.RINGING;

/**
 * The logic of one call: takes events, timers and the time, and returns what to do. No Session,
 * no threads, no clock of its own; its owner calls it from one thread at a time.
 */
public final class CallMachine {
    public static final int CLOSE_NORMAL = 1000;
    public static final int CLOSE_POLICY = 1008;
    public static final int CLOSE_TOO_BIG = 1009;
    public static final int CLOSE_GOING_AWAY = 1001;
    /** Digits kept in the record; a platform that sends more is not allowed to grow memory. */
    static final int MAX_DIGITS = 1024;

    private final Settings settings;
    private CallState state = CONNECTED;
    private IncomingCall call;
    private final Instant connectedAt;
    private Instant incomingAt;
    private Instant answeredAt;
    private Instant endedAt;
    private EndedBy endedBy;
    private final StringBuilder digitsReceived = new StringBuilder();
    private final StringBuilder digitsSent = new StringBuilder();
    private int protocolErrors;
    private Cdr cdr;

    public CallMachine(Settings settings, Instant connectedAt) {
        this.settings = settings;
        this.connectedAt = connectedAt;
    }

    public CallState state() {
        return state;
    }

    /** The call's sessionId once its incoming_call was accepted, else null. */
    public String sessionId() {
        return call == null ? null : call.sessionId();
    }

    /** The accepted incoming_call, or null. */
    public IncomingCall incomingCall() {
        return call;
    }

    public EndedBy endedBy() {
        return endedBy;
    }

    public boolean echoes() {
        return state == ANSWERED && settings.echo();
    }

    public List<Action> start() {
        return List.of(new Schedule(CallTimer.FIRST_EVENT, settings.firstEventTimeout()));
    }

    /**
     * @param claimSessionId takes the sessionId for this call if no live call holds it; asked only
     *                       when an incoming_call is about to be accepted
     */
    public List<Action> onEvent(InboundEvent event, Instant now, Predicate<String> claimSessionId) {
        List<Action> out = new ArrayList<>();
        // Java 17 has no pattern switch; the hierarchy is sealed, so these four are all there is.
        if (event instanceof IncomingCall incoming) {
            onIncomingCall(incoming, now, claimSessionId, out);
        } else if (event instanceof Dtmf dtmf) {
            onDtmf(dtmf, out);
        } else if (event instanceof Cdr record) {
            onCdr(record, now, out);
        } else if (state == RINGING || state == ANSWERED) {
            end(EndedBy.CALLER, now, out);
        } else {
            reject("hangup in state " + state, out);
        }
        return out;
    }

    /** A text frame that could not be decoded into a valid event. */
    public List<Action> onBadMessage(String reason) {
        List<Action> out = new ArrayList<>();
        reject(reason, out);
        return out;
    }

    /** The server is stopping (undeployed, shut down): the call ends here, whatever state it is in. */
    public List<Action> onShutdown(Instant now) {
        List<Action> out = new ArrayList<>();
        if (state != CLOSED) {
            finish(EndedBy.SERVER, now, CLOSE_GOING_AWAY, "server shutting down", out);
        }
        return out;
    }

    /** A message over maxBinaryMessage or maxTextMessage: PROTOCOL.md closes the connection for it. */
    public List<Action> onOversize(String reason, Instant now) {
        List<Action> out = new ArrayList<>();
        if (state != CLOSED) { // after the close began, the frame is one more the connection drops anyway
            reject(reason, out);
            finish(EndedBy.SERVER, now, CLOSE_TOO_BIG, reason, out);
        }
        return out;
    }

    public List<Action> onTimer(CallTimer timer, Instant now) {
        List<Action> out = new ArrayList<>();
        // A timer that fires in a state it does not belong to lost a race with its cancellation: ignore it.
        switch (timer) {
            case FIRST_EVENT -> {
                if (state == CONNECTED) {
                    finish(EndedBy.TIMEOUT, now, CLOSE_POLICY,
                            "no incoming_call within " + settings.firstEventTimeout().toMillis() + " ms", out);
                }
            }
            case ANSWER -> {
                if (state == RINGING) {
                    answer(now, out);
                }
            }
            case DTMF -> {
                if (state == ANSWERED) {
                    appendDigit(digitsSent, settings.dtmfDigit());
                    out.add(new Send(new Command.Dtmf(settings.dtmfDigit(), settings.dtmfDuration())));
                }
            }
            case HANGUP -> {
                if (state == ANSWERED) {
                    out.add(new Send(new Command.Hangup()));
                    end(EndedBy.SERVER, now, out);
                }
            }
            case CDR -> {
                if (state == ENDED) {
                    finish(endedBy, now, CLOSE_NORMAL, "no cdr within " + settings.cdrTimeout().toMillis() + " ms", out);
                }
            }
        }
        return out;
    }

    /** The connection closed, from either side. */
    public List<Action> onClosed(Instant now) {
        List<Action> out = new ArrayList<>();
        if (state != CLOSED) {
            endIfLive(EndedBy.DISCONNECT, now);
            out.add(new CancelTimers());
            moveTo(CLOSED, out);
        }
        return out;
    }

    public CallRecord toRecord(Instant closedAt, CallRecord.Audio audio) {
        return new CallRecord(sessionId(), call == null ? null : call.callerId(), call == null ? null : call.didNumber(),
                connectedAt, incomingAt, answeredAt, endedAt, closedAt, endedBy,
                digitsReceived.toString(), digitsSent.toString(), audio, protocolErrors, cdr,
                cdr != null && !cdr.sessionId().equals(sessionId()));
    }

    private void onIncomingCall(IncomingCall incoming, Instant now, Predicate<String> claimSessionId, List<Action> out) {
        if (state != CONNECTED) {
            reject("incoming_call in state " + state, out);
        } else if (!claimSessionId.test(incoming.sessionId())) {
            reject("sessionId " + incoming.sessionId() + " is live on another connection", out);
            finish(EndedBy.SERVER, now, CLOSE_POLICY, "sessionId is live on another connection", out);
        } else {
            call = incoming;
            incomingAt = now;
            out.add(new CancelTimers());
            moveTo(RINGING, out);
            if (settings.answerDelay().isZero()) {
                answer(now, out);
            } else {
                out.add(new Schedule(CallTimer.ANSWER, settings.answerDelay()));
            }
        }
    }

    private void answer(Instant now, List<Action> out) {
        answeredAt = now;
        out.add(new Send(new Command.Answer()));
        moveTo(ANSWERED, out);
        out.add(new Schedule(CallTimer.DTMF, settings.dtmfDelay()));
        out.add(new Schedule(CallTimer.HANGUP, settings.hangupDelay()));
    }

    private void onDtmf(Dtmf dtmf, List<Action> out) {
        if (state != ANSWERED) {
            reject("dtmf in state " + state, out);
        } else {
            // The default flow only records the digit; call applications will act on it here.
            appendDigit(digitsReceived, dtmf.digit());
        }
    }

    private void onCdr(Cdr received, Instant now, List<Action> out) {
        if (cdr != null) {
            reject("second cdr ignored", out);
        } else if (state == CONNECTED || state == CLOSED) {
            reject("cdr in state " + state, out);
        } else {
            cdr = received;
            if (state != ENDED) {
                // The platform reports the call over without a hangup first: it was the platform's side.
                end(EndedBy.CALLER, now, out);
            }
            finish(endedBy, now, CLOSE_NORMAL, "call complete", out);
        }
    }

    /** Every timer is cancelled the moment the call ends; only the wait for the CDR is left. */
    private void end(EndedBy by, Instant now, List<Action> out) {
        endIfLive(by, now);
        out.add(new CancelTimers());
        moveTo(ENDED, out);
        out.add(new Schedule(CallTimer.CDR, settings.cdrTimeout()));
    }

    /** Keep the record, then close. */
    private void finish(EndedBy by, Instant now, int closeCode, String reason, List<Action> out) {
        endIfLive(by, now);
        out.add(new CancelTimers());
        moveTo(CLOSED, out);
        out.add(new Finish(closeCode, reason));
    }

    private void endIfLive(EndedBy by, Instant now) {
        if (endedBy == null) {
            endedBy = by;
            endedAt = now;
        }
    }

    private void moveTo(CallState next, List<Action> out) {
        out.add(new Moved(state, next));
        state = next;
    }

    private void reject(String reason, List<Action> out) {
        protocolErrors++;
        out.add(new Reject(reason));
    }

    private static void appendDigit(StringBuilder digits, String digit) {
        if (digits.length() < MAX_DIGITS) {
            digits.append(digit);
        }
    }
}
