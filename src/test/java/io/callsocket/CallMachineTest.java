package io.callsocket;

import io.callsocket.Action.CancelTimers;
import io.callsocket.Action.Finish;
import io.callsocket.Action.Moved;
import io.callsocket.Action.Reject;
import io.callsocket.Action.Schedule;
import io.callsocket.Action.Send;
import io.callsocket.InboundEvent.Cdr;
import io.callsocket.InboundEvent.IncomingCall;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The pure call logic of PROTOCOL.md: every state against every input, then the default flow's details. */
class CallMachineTest {
    private static final Instant T0 = Instant.parse("2026-11-24T12:00:00Z");
    private static final CallRecord.Audio NO_AUDIO = new CallRecord.Audio(0, 0, 0, 0, 0, 0);
    private static final String SESSION = "call-1";
    private static final IncomingCall INCOMING = new IncomingCall("+15550001111", "+15559870002", SESSION);
    private static final Predicate<String> FREE = id -> true;
    private static final Predicate<String> TAKEN = id -> false;

    // ---------------------------------------------------------------------------------------------
    // The whole matrix
    // ---------------------------------------------------------------------------------------------

    /** Where a row starts. ENDED and CLOSED are each reached two ways, since the way changes some answers. */
    enum Start { CONNECTED, RINGING, ANSWERED, ENDED_BY_CALLER, ENDED_BY_SERVER, CLOSED_BY_CLOSE, CLOSED_BY_CDR }

    enum Input {
        INCOMING_CALL, INCOMING_CALL_TAKEN, DTMF, HANGUP, CDR,
        FIRST_EVENT_TIMER, ANSWER_TIMER, DTMF_TIMER, HANGUP_TIMER, CDR_TIMER,
        ON_CLOSED, BAD_MESSAGE, OVERSIZE, SHUTDOWN
    }

    /**
     * Settings of the matrix: answerDelay 500 ms so that RINGING lasts until the ANSWER timer.
     * Actions: Cancel = CancelTimers, ->S = Moved to S, Send:C, Schedule:T, Reject, Finish:code; "-" is none.
     * "ended by" is the machine's endedBy after the input ("-": the call has not ended).
     * OVERSIZE is a frame over maxBinaryMessage or a text over maxTextMessage (close 1009); SHUTDOWN is the
     * server stopping (close 1001). CLOSED x OVERSIZE is left out on purpose: the machine closes a second
     * time there (Moved CLOSED->CLOSED and a second Finish), which PROTOCOL.md does not settle.
     */
    @ParameterizedTest(name = "{0} + {1} -> {2}: {4}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # from          | input               | to        | ended by   | actions
            CONNECTED       | INCOMING_CALL       | RINGING   | -          | Cancel ->RINGING Schedule:ANSWER
            CONNECTED       | INCOMING_CALL_TAKEN | CLOSED    | SERVER     | Reject Cancel ->CLOSED Finish:1008
            CONNECTED       | DTMF                | CONNECTED | -          | Reject
            CONNECTED       | HANGUP              | CONNECTED | -          | Reject
            CONNECTED       | CDR                 | CONNECTED | -          | Reject
            CONNECTED       | FIRST_EVENT_TIMER   | CLOSED    | TIMEOUT    | Cancel ->CLOSED Finish:1008
            CONNECTED       | ANSWER_TIMER        | CONNECTED | -          | -
            CONNECTED       | DTMF_TIMER          | CONNECTED | -          | -
            CONNECTED       | HANGUP_TIMER        | CONNECTED | -          | -
            CONNECTED       | CDR_TIMER           | CONNECTED | -          | -
            CONNECTED       | ON_CLOSED           | CLOSED    | DISCONNECT | Cancel ->CLOSED
            CONNECTED       | BAD_MESSAGE         | CONNECTED | -          | Reject
            CONNECTED       | OVERSIZE            | CLOSED    | SERVER     | Reject Cancel ->CLOSED Finish:1009
            CONNECTED       | SHUTDOWN            | CLOSED    | SERVER     | Cancel ->CLOSED Finish:1001

            RINGING         | INCOMING_CALL       | RINGING   | -          | Reject
            RINGING         | INCOMING_CALL_TAKEN | RINGING   | -          | Reject
            RINGING         | DTMF                | RINGING   | -          | Reject
            RINGING         | HANGUP              | ENDED     | CALLER     | Cancel ->ENDED Schedule:CDR
            RINGING         | CDR                 | CLOSED    | CALLER     | Cancel ->ENDED Schedule:CDR Cancel ->CLOSED Finish:1000
            RINGING         | FIRST_EVENT_TIMER   | RINGING   | -          | -
            RINGING         | ANSWER_TIMER        | ANSWERED  | -          | Send:Answer ->ANSWERED Schedule:DTMF Schedule:HANGUP
            RINGING         | DTMF_TIMER          | RINGING   | -          | -
            RINGING         | HANGUP_TIMER        | RINGING   | -          | -
            RINGING         | CDR_TIMER           | RINGING   | -          | -
            RINGING         | ON_CLOSED           | CLOSED    | DISCONNECT | Cancel ->CLOSED
            RINGING         | BAD_MESSAGE         | RINGING   | -          | Reject
            RINGING         | OVERSIZE            | CLOSED    | SERVER     | Reject Cancel ->CLOSED Finish:1009
            RINGING         | SHUTDOWN            | CLOSED    | SERVER     | Cancel ->CLOSED Finish:1001

            ANSWERED        | INCOMING_CALL       | ANSWERED  | -          | Reject
            ANSWERED        | INCOMING_CALL_TAKEN | ANSWERED  | -          | Reject
            ANSWERED        | DTMF                | ANSWERED  | -          | -
            ANSWERED        | HANGUP              | ENDED     | CALLER     | Cancel ->ENDED Schedule:CDR
            ANSWERED        | CDR                 | CLOSED    | CALLER     | Cancel ->ENDED Schedule:CDR Cancel ->CLOSED Finish:1000
            ANSWERED        | FIRST_EVENT_TIMER   | ANSWERED  | -          | -
            ANSWERED        | ANSWER_TIMER        | ANSWERED  | -          | -
            ANSWERED        | DTMF_TIMER          | ANSWERED  | -          | Send:Dtmf
            ANSWERED        | HANGUP_TIMER        | ENDED     | SERVER     | Send:Hangup Cancel ->ENDED Schedule:CDR
            ANSWERED        | CDR_TIMER           | ANSWERED  | -          | -
            ANSWERED        | ON_CLOSED           | CLOSED    | DISCONNECT | Cancel ->CLOSED
            ANSWERED        | BAD_MESSAGE         | ANSWERED  | -          | Reject
            ANSWERED        | OVERSIZE            | CLOSED    | SERVER     | Reject Cancel ->CLOSED Finish:1009
            ANSWERED        | SHUTDOWN            | CLOSED    | SERVER     | Cancel ->CLOSED Finish:1001

            ENDED_BY_CALLER | INCOMING_CALL       | ENDED     | CALLER     | Reject
            ENDED_BY_CALLER | INCOMING_CALL_TAKEN | ENDED     | CALLER     | Reject
            ENDED_BY_CALLER | DTMF                | ENDED     | CALLER     | Reject
            ENDED_BY_CALLER | HANGUP              | ENDED     | CALLER     | Reject
            ENDED_BY_CALLER | CDR                 | CLOSED    | CALLER     | Cancel ->CLOSED Finish:1000
            ENDED_BY_CALLER | FIRST_EVENT_TIMER   | ENDED     | CALLER     | -
            ENDED_BY_CALLER | ANSWER_TIMER        | ENDED     | CALLER     | -
            ENDED_BY_CALLER | DTMF_TIMER          | ENDED     | CALLER     | -
            ENDED_BY_CALLER | HANGUP_TIMER        | ENDED     | CALLER     | -
            ENDED_BY_CALLER | CDR_TIMER           | CLOSED    | CALLER     | Cancel ->CLOSED Finish:1000
            ENDED_BY_CALLER | ON_CLOSED           | CLOSED    | CALLER     | Cancel ->CLOSED
            ENDED_BY_CALLER | BAD_MESSAGE         | ENDED     | CALLER     | Reject
            ENDED_BY_CALLER | OVERSIZE            | CLOSED    | CALLER     | Reject Cancel ->CLOSED Finish:1009
            ENDED_BY_CALLER | SHUTDOWN            | CLOSED    | CALLER     | Cancel ->CLOSED Finish:1001

            ENDED_BY_SERVER | INCOMING_CALL       | ENDED     | SERVER     | Reject
            ENDED_BY_SERVER | INCOMING_CALL_TAKEN | ENDED     | SERVER     | Reject
            ENDED_BY_SERVER | DTMF                | ENDED     | SERVER     | Reject
            ENDED_BY_SERVER | HANGUP              | ENDED     | SERVER     | Reject
            ENDED_BY_SERVER | CDR                 | CLOSED    | SERVER     | Cancel ->CLOSED Finish:1000
            ENDED_BY_SERVER | FIRST_EVENT_TIMER   | ENDED     | SERVER     | -
            ENDED_BY_SERVER | ANSWER_TIMER        | ENDED     | SERVER     | -
            ENDED_BY_SERVER | DTMF_TIMER          | ENDED     | SERVER     | -
            ENDED_BY_SERVER | HANGUP_TIMER        | ENDED     | SERVER     | -
            ENDED_BY_SERVER | CDR_TIMER           | CLOSED    | SERVER     | Cancel ->CLOSED Finish:1000
            ENDED_BY_SERVER | ON_CLOSED           | CLOSED    | SERVER     | Cancel ->CLOSED
            ENDED_BY_SERVER | BAD_MESSAGE         | ENDED     | SERVER     | Reject
            ENDED_BY_SERVER | OVERSIZE            | CLOSED    | SERVER     | Reject Cancel ->CLOSED Finish:1009
            ENDED_BY_SERVER | SHUTDOWN            | CLOSED    | SERVER     | Cancel ->CLOSED Finish:1001

            CLOSED_BY_CLOSE | INCOMING_CALL       | CLOSED    | DISCONNECT | Reject
            CLOSED_BY_CLOSE | INCOMING_CALL_TAKEN | CLOSED    | DISCONNECT | Reject
            CLOSED_BY_CLOSE | DTMF                | CLOSED    | DISCONNECT | Reject
            CLOSED_BY_CLOSE | HANGUP              | CLOSED    | DISCONNECT | Reject
            CLOSED_BY_CLOSE | CDR                 | CLOSED    | DISCONNECT | Reject
            CLOSED_BY_CLOSE | FIRST_EVENT_TIMER   | CLOSED    | DISCONNECT | -
            CLOSED_BY_CLOSE | ANSWER_TIMER        | CLOSED    | DISCONNECT | -
            CLOSED_BY_CLOSE | DTMF_TIMER          | CLOSED    | DISCONNECT | -
            CLOSED_BY_CLOSE | HANGUP_TIMER        | CLOSED    | DISCONNECT | -
            CLOSED_BY_CLOSE | CDR_TIMER           | CLOSED    | DISCONNECT | -
            CLOSED_BY_CLOSE | ON_CLOSED           | CLOSED    | DISCONNECT | -
            CLOSED_BY_CLOSE | BAD_MESSAGE         | CLOSED    | DISCONNECT | Reject
            CLOSED_BY_CLOSE | SHUTDOWN            | CLOSED    | DISCONNECT | -

            CLOSED_BY_CDR   | INCOMING_CALL       | CLOSED    | SERVER     | Reject
            CLOSED_BY_CDR   | INCOMING_CALL_TAKEN | CLOSED    | SERVER     | Reject
            CLOSED_BY_CDR   | DTMF                | CLOSED    | SERVER     | Reject
            CLOSED_BY_CDR   | HANGUP              | CLOSED    | SERVER     | Reject
            CLOSED_BY_CDR   | CDR                 | CLOSED    | SERVER     | Reject
            CLOSED_BY_CDR   | FIRST_EVENT_TIMER   | CLOSED    | SERVER     | -
            CLOSED_BY_CDR   | ANSWER_TIMER        | CLOSED    | SERVER     | -
            CLOSED_BY_CDR   | DTMF_TIMER          | CLOSED    | SERVER     | -
            CLOSED_BY_CDR   | HANGUP_TIMER        | CLOSED    | SERVER     | -
            CLOSED_BY_CDR   | CDR_TIMER           | CLOSED    | SERVER     | -
            CLOSED_BY_CDR   | ON_CLOSED           | CLOSED    | SERVER     | -
            CLOSED_BY_CDR   | BAD_MESSAGE         | CLOSED    | SERVER     | Reject
            CLOSED_BY_CDR   | SHUTDOWN            | CLOSED    | SERVER     | -
            """)
    void everyStateAgainstEveryInput(Start from, Input input, CallState to, EndedBy endedBy, String actions) {
        CallMachine machine = machineIn(from, settings("answerDelay", "500"));
        int errorsBefore = errors(machine);
        List<String> claimsAsked = new ArrayList<>();

        List<Action> out = apply(machine, input, id -> {
            claimsAsked.add(id);
            return input != Input.INCOMING_CALL_TAKEN;
        });

        assertEquals(actions == null ? List.of() : Arrays.asList(actions.trim().split("\\s+")), describe(out));
        assertEquals(to, machine.state());
        assertEquals(endedBy, machine.endedBy());
        long rejects = out.stream().filter(a -> a instanceof Reject).count();
        assertEquals(errorsBefore + rejects, errors(machine), "every Reject is counted as a protocol error");
        out.stream().filter(a -> a instanceof Reject)
                .forEach(r -> assertFalse(((Reject) r).reason().isBlank(), "a Reject says why"));
        boolean incoming = input == Input.INCOMING_CALL || input == Input.INCOMING_CALL_TAKEN;
        assertEquals(from == Start.CONNECTED && incoming ? List.of(SESSION) : List.of(), claimsAsked,
                "the sessionId is claimed only when an incoming_call is about to be accepted");
    }

    /** Brings a new machine into {@code start} through its public API only. */
    private static CallMachine machineIn(Start start, Settings settings) {
        CallMachine machine = new CallMachine(settings, T0);
        machine.start();
        if (start == Start.CONNECTED) {
            return machine;
        }
        machine.onEvent(INCOMING, T0.plusSeconds(5), FREE);
        assertEquals(CallState.RINGING, machine.state());
        if (start == Start.RINGING) {
            return machine;
        }
        machine.onTimer(CallTimer.ANSWER, T0.plusSeconds(5));
        assertEquals(CallState.ANSWERED, machine.state());
        switch (start) {
            case ENDED_BY_CALLER -> machine.onEvent(new InboundEvent.Hangup(), T0.plusSeconds(10), FREE);
            case ENDED_BY_SERVER -> machine.onTimer(CallTimer.HANGUP, T0.plusSeconds(17));
            case CLOSED_BY_CLOSE -> machine.onClosed(T0.plusSeconds(10));
            case CLOSED_BY_CDR -> {
                machine.onTimer(CallTimer.HANGUP, T0.plusSeconds(17));
                machine.onEvent(cdr(SESSION, "first"), T0.plusSeconds(17), FREE);
            }
            default -> {
            }
        }
        assertEquals(switch (start) {
            case ANSWERED -> CallState.ANSWERED;
            case ENDED_BY_CALLER, ENDED_BY_SERVER -> CallState.ENDED;
            default -> CallState.CLOSED;
        }, machine.state());
        return machine;
    }

    private static List<Action> apply(CallMachine machine, Input input, Predicate<String> claim) {
        Instant now = T0.plusSeconds(20);
        return switch (input) {
            case INCOMING_CALL, INCOMING_CALL_TAKEN -> machine.onEvent(INCOMING, now, claim);
            case DTMF -> machine.onEvent(new InboundEvent.Dtmf("1"), now, claim);
            case HANGUP -> machine.onEvent(new InboundEvent.Hangup(), now, claim);
            case CDR -> machine.onEvent(cdr(SESSION, "second"), now, claim);
            case FIRST_EVENT_TIMER -> machine.onTimer(CallTimer.FIRST_EVENT, now);
            case ANSWER_TIMER -> machine.onTimer(CallTimer.ANSWER, now);
            case DTMF_TIMER -> machine.onTimer(CallTimer.DTMF, now);
            case HANGUP_TIMER -> machine.onTimer(CallTimer.HANGUP, now);
            case CDR_TIMER -> machine.onTimer(CallTimer.CDR, now);
            case ON_CLOSED -> machine.onClosed(now);
            case BAD_MESSAGE -> machine.onBadMessage("not JSON");
            case OVERSIZE -> machine.onOversize("audio frame of 70000 bytes, more than maxBinaryMessage 65536", now);
            case SHUTDOWN -> machine.onShutdown(now);
        };
    }

    private static List<String> describe(List<Action> actions) {
        return actions.stream().map(CallMachineTest::describe).collect(Collectors.toList());
    }

    private static String describe(Action action) {
        if (action instanceof Moved moved) {
            return "->" + moved.to();
        } else if (action instanceof Send send) {
            return "Send:" + send.command().getClass().getSimpleName();
        } else if (action instanceof Schedule schedule) {
            return "Schedule:" + schedule.timer();
        } else if (action instanceof CancelTimers) {
            return "Cancel";
        } else if (action instanceof Reject) {
            return "Reject";
        } else if (action instanceof Finish finish) {
            return "Finish:" + finish.closeCode();
        }
        throw new AssertionError("unknown action " + action);
    }

    // ---------------------------------------------------------------------------------------------
    // The default flow (PROTOCOL.md, "The default call flow")
    // ---------------------------------------------------------------------------------------------

    @Test
    void startWaitsFirstEventTimeoutForTheIncomingCall() {
        assertEquals(List.of(new Schedule(CallTimer.FIRST_EVENT, Duration.ofSeconds(30))),
                new CallMachine(Settings.defaults(), T0).start());
        assertEquals(List.of(new Schedule(CallTimer.FIRST_EVENT, Duration.ofMillis(1234))),
                new CallMachine(settings("firstEventTimeout", "1234"), T0).start());
    }

    @Test
    void answerDelayZeroAnswersAtOnceAndSchedulesDtmfAndHangup() {
        CallMachine machine = new CallMachine(Settings.defaults(), T0);
        machine.start();

        List<Action> out = machine.onEvent(INCOMING, T0.plusSeconds(5), FREE);

        assertEquals(List.of(
                new CancelTimers(),
                new Moved(CallState.CONNECTED, CallState.RINGING),
                new Send(new Command.Answer()),
                new Moved(CallState.RINGING, CallState.ANSWERED),
                new Schedule(CallTimer.DTMF, Duration.ofMillis(2000)),
                new Schedule(CallTimer.HANGUP, Duration.ofMillis(12000))), out);
        assertEquals(CallState.ANSWERED, machine.state());
        assertEquals(SESSION, machine.sessionId());
        assertEquals(INCOMING, machine.incomingCall());
        assertTrue(machine.echoes());
    }

    @Test
    void answerDelayWaitsInRingingWithoutSendingAnything() {
        CallMachine machine = new CallMachine(settings("answerDelay", "750", "dtmfDelay", "300", "hangupDelay", "900"), T0);
        machine.start();

        List<Action> ringing = machine.onEvent(INCOMING, T0.plusSeconds(5), FREE);
        assertEquals(List.of(new CancelTimers(), new Moved(CallState.CONNECTED, CallState.RINGING),
                new Schedule(CallTimer.ANSWER, Duration.ofMillis(750))), ringing);
        assertFalse(machine.echoes(), "no echo before answer");

        List<Action> answered = machine.onTimer(CallTimer.ANSWER, T0.plusMillis(5750));
        assertEquals(List.of(new Send(new Command.Answer()), new Moved(CallState.RINGING, CallState.ANSWERED),
                new Schedule(CallTimer.DTMF, Duration.ofMillis(300)),
                new Schedule(CallTimer.HANGUP, Duration.ofMillis(900))), answered);

        CallRecord record = machine.toRecord(T0.plusSeconds(30), NO_AUDIO);
        assertEquals(T0.plusSeconds(5), record.incomingAt());
        assertEquals(T0.plusMillis(5750), record.answeredAt());
    }

    @Test
    void echoFollowsTheEchoSettingOnlyWhileAnswered() {
        CallMachine off = answered(settings("echo", "false"));
        assertEquals(CallState.ANSWERED, off.state());
        assertFalse(off.echoes());

        CallMachine on = answered(Settings.defaults());
        assertTrue(on.echoes());
        on.onEvent(new InboundEvent.Hangup(), T0.plusSeconds(6), FREE);
        assertFalse(on.echoes(), "no echo after the end");
    }

    @Test
    void dtmfTimerSendsTheConfiguredDigitAndRecordsIt() {
        CallMachine machine = answered(Settings.defaults());

        assertEquals(List.of(new Send(new Command.Dtmf("1", 200))), machine.onTimer(CallTimer.DTMF, T0.plusSeconds(7)));
        assertEquals(CallState.ANSWERED, machine.state());
        assertEquals("1", machine.toRecord(T0.plusSeconds(20), NO_AUDIO).digitsSent());

        CallMachine other = answered(settings("dtmfDigit", "#", "dtmfDuration", "80"));
        assertEquals(List.of(new Send(new Command.Dtmf("#", 80))), other.onTimer(CallTimer.DTMF, T0.plusSeconds(7)));
    }

    @Test
    void hangupTimerSendsHangupAndEndsTheCallByTheServer() {
        CallMachine machine = answered(Settings.defaults());

        List<Action> out = machine.onTimer(CallTimer.HANGUP, T0.plusSeconds(17));

        assertEquals(List.of(new Send(new Command.Hangup()), new CancelTimers(),
                new Moved(CallState.ANSWERED, CallState.ENDED),
                new Schedule(CallTimer.CDR, Duration.ofSeconds(30))), out);
        assertEquals(EndedBy.SERVER, machine.endedBy());
        assertEquals(T0.plusSeconds(17), machine.toRecord(T0.plusSeconds(18), NO_AUDIO).endedAt());
    }

    @Test
    void callerHangupSendsNothingAndEndsTheCallByTheCaller() {
        CallMachine machine = answered(Settings.defaults());

        List<Action> out = machine.onEvent(new InboundEvent.Hangup(), T0.plusSeconds(9), FREE);

        assertTrue(out.stream().noneMatch(a -> a instanceof Send), "no hangup is sent back: " + out);
        assertEquals(List.of(new CancelTimers(), new Moved(CallState.ANSWERED, CallState.ENDED),
                new Schedule(CallTimer.CDR, Duration.ofSeconds(30))), out);
        assertEquals(EndedBy.CALLER, machine.endedBy());
        assertEquals(T0.plusSeconds(9), machine.toRecord(T0.plusSeconds(10), NO_AUDIO).endedAt());
    }

    @Test
    void callerHangupWhileRingingEndsTheCallUnanswered() {
        CallMachine machine = new CallMachine(settings("answerDelay", "500"), T0);
        machine.onEvent(INCOMING, T0.plusSeconds(5), FREE);

        machine.onEvent(new InboundEvent.Hangup(), T0.plusSeconds(6), FREE);

        CallRecord record = machine.toRecord(T0.plusSeconds(7), NO_AUDIO);
        assertEquals(EndedBy.CALLER, record.endedBy());
        assertNull(record.answeredAt());
        assertTrue(machine.onTimer(CallTimer.ANSWER, T0.plusSeconds(6)).isEmpty(), "no answer after the end");
    }

    /** Every way a call can end, as the step that ends it, from a machine set up by {@code before}. */
    static Stream<Arguments> waysToEnd() {
        Settings ringing = settings("answerDelay", "500");
        Settings answering = Settings.defaults();
        Instant at = T0.plusSeconds(8);
        return Stream.of(
                way("caller hangup while ringing", ringing, true, m -> m.onEvent(new InboundEvent.Hangup(), at, FREE)),
                way("caller hangup while answered", answering, true, m -> m.onEvent(new InboundEvent.Hangup(), at, FREE)),
                way("server hangup timer", answering, true, m -> m.onTimer(CallTimer.HANGUP, at)),
                way("cdr while ringing", ringing, true, m -> m.onEvent(cdr(SESSION, "x"), at, FREE)),
                way("cdr while answered", answering, true, m -> m.onEvent(cdr(SESSION, "x"), at, FREE)),
                way("no incoming_call in time", answering, false, m -> m.onTimer(CallTimer.FIRST_EVENT, at)),
                way("sessionId live elsewhere", answering, false, m -> m.onEvent(INCOMING, at, TAKEN)),
                way("connection closed before incoming_call", answering, false, m -> m.onClosed(at)),
                way("connection closed while ringing", ringing, true, m -> m.onClosed(at)),
                way("connection closed while answered", answering, true, m -> m.onClosed(at)),
                way("oversize message while answered", answering, true, m -> m.onOversize("too big", at)),
                way("server stopping while ringing", ringing, true, m -> m.onShutdown(at)),
                way("server stopping while answered", answering, true, m -> m.onShutdown(at)));
    }

    private static Arguments way(String name, Settings settings, boolean withCall, Function<CallMachine, List<Action>> end) {
        return arguments(name, settings, withCall, end);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("waysToEnd")
    void theEndCancelsEveryTimerAndNothingIsSentAfterIt(String name, Settings settings, boolean withCall,
                                                        Function<CallMachine, List<Action>> end) {
        CallMachine machine = new CallMachine(settings, T0);
        machine.start();
        if (withCall) {
            machine.onEvent(INCOMING, T0.plusSeconds(5), FREE);
        }
        CallState live = machine.state();

        List<Action> out = end.apply(machine);

        int moved = -1;
        for (int i = 0; i < out.size() && moved < 0; i++) {
            if (out.get(i) instanceof Moved m && (m.to() == CallState.ENDED || m.to() == CallState.CLOSED)) {
                moved = i;
            }
        }
        assertTrue(moved >= 0, "the call must leave " + live + ": " + out);
        assertTrue(out.subList(0, moved).contains(new CancelTimers()), "timers cancelled as the call ends: " + out);
        List<Action> after = out.subList(moved, out.size());
        assertTrue(after.stream().noneMatch(a -> a instanceof Send), "nothing sent after the end: " + out);
        assertTrue(after.stream().noneMatch(a -> a instanceof Schedule s && s.timer() != CallTimer.CDR),
                "only the wait for the CDR may be scheduled after the end: " + out);
        assertNotNull(machine.endedBy(), "who ended the call is known");
        for (CallTimer stale : List.of(CallTimer.FIRST_EVENT, CallTimer.ANSWER, CallTimer.DTMF, CallTimer.HANGUP)) {
            assertEquals(List.of(), machine.onTimer(stale, T0.plusSeconds(9)), stale + " after the end");
        }
    }

    @Test
    void staleTimersAreIgnoredAndChangeNothing() {
        CallMachine machine = answered(Settings.defaults());
        machine.onEvent(new InboundEvent.Hangup(), T0.plusSeconds(6), FREE);

        assertEquals(List.of(), machine.onTimer(CallTimer.DTMF, T0.plusSeconds(7)));
        assertEquals(List.of(), machine.onTimer(CallTimer.HANGUP, T0.plusSeconds(17)));

        CallRecord record = machine.toRecord(T0.plusSeconds(20), NO_AUDIO);
        assertEquals("", record.digitsSent(), "a stale DTMF timer sends no digit");
        assertEquals(EndedBy.CALLER, record.endedBy(), "a stale HANGUP timer does not change who ended the call");
        assertEquals(T0.plusSeconds(6), record.endedAt());
        assertEquals(0, record.protocolErrors(), "a stale timer is not the platform's error");
    }

    // ---------------------------------------------------------------------------------------------
    // Bad and unexpected input
    // ---------------------------------------------------------------------------------------------

    @Test
    void wrongStateEventsAreRejectedCountedAndTheCallGoesOn() {
        CallMachine machine = new CallMachine(Settings.defaults(), T0);
        machine.start();

        List<Action> dtmf = machine.onEvent(new InboundEvent.Dtmf("5"), T0, FREE);
        List<Action> hangup = machine.onEvent(new InboundEvent.Hangup(), T0, FREE);
        List<Action> cdr = machine.onEvent(cdr(SESSION, "x"), T0, FREE);

        assertEquals(1, dtmf.size());
        assertTrue(((Reject) dtmf.get(0)).reason().contains("dtmf"), dtmf.toString());
        assertTrue(((Reject) hangup.get(0)).reason().contains("hangup"), hangup.toString());
        assertTrue(((Reject) cdr.get(0)).reason().contains("cdr"), cdr.toString());
        assertEquals(CallState.CONNECTED, machine.state());

        machine.onEvent(INCOMING, T0.plusSeconds(1), FREE);
        machine.onEvent(INCOMING, T0.plusSeconds(2), FREE);
        machine.onBadMessage("malformed");
        assertEquals(CallState.ANSWERED, machine.state(), "a bad message never ends a call");

        CallRecord record = machine.toRecord(T0.plusSeconds(3), NO_AUDIO);
        assertEquals(5, record.protocolErrors());
        assertEquals("", record.digitsReceived(), "a rejected dtmf is not recorded");
        assertNull(record.cdr(), "a rejected cdr is not kept");
    }

    @Test
    void badMessageGivesOneRejectWithItsReason() {
        CallMachine machine = answered(Settings.defaults());

        assertEquals(List.of(new Reject("unknown event \"transfer\"")), machine.onBadMessage("unknown event \"transfer\""));
        assertEquals(1, errors(machine));
    }

    @Test
    void duplicateSessionIdIsRefusedWith1008AndTheMachineKeepsNoSessionId() {
        CallMachine machine = new CallMachine(Settings.defaults(), T0);
        machine.start();
        List<String> asked = new ArrayList<>();

        List<Action> out = machine.onEvent(INCOMING, T0.plusSeconds(5), id -> {
            asked.add(id);
            return false;
        });

        assertEquals(List.of(SESSION), asked);
        assertEquals(4, out.size(), out.toString());
        assertTrue(out.get(0) instanceof Reject, out.toString());
        assertEquals(List.of(new CancelTimers(), new Moved(CallState.CONNECTED, CallState.CLOSED)), out.subList(1, 3));
        assertEquals(CallMachine.CLOSE_POLICY, ((Finish) out.get(3)).closeCode());
        assertTrue(out.stream().noneMatch(a -> a instanceof Send), "nothing is answered: " + out);
        assertNull(machine.sessionId());
        assertNull(machine.incomingCall());
        CallRecord record = machine.toRecord(T0.plusSeconds(5), NO_AUDIO);
        assertNull(record.sessionId(), "the record must not take the live call's sessionId");
        assertNull(record.callerId());
        assertNull(record.incomingAt());
        assertEquals(1, record.protocolErrors());
    }

    @Test
    void firstEventTimeoutClosesWith1008() {
        CallMachine machine = new CallMachine(settings("firstEventTimeout", "1500"), T0);
        machine.start();

        List<Action> out = machine.onTimer(CallTimer.FIRST_EVENT, T0.plusMillis(1500));

        assertEquals(List.of(new CancelTimers(), new Moved(CallState.CONNECTED, CallState.CLOSED)), out.subList(0, 2));
        Finish finish = (Finish) out.get(2);
        assertEquals(1008, finish.closeCode());
        assertTrue(finish.reason().contains("1500"), finish.reason());
        CallRecord record = machine.toRecord(T0.plusMillis(1500), NO_AUDIO);
        assertEquals(EndedBy.TIMEOUT, record.endedBy());
        assertNull(record.sessionId());
        assertEquals(T0, record.connectedAt());
    }

    // ---------------------------------------------------------------------------------------------
    // CDR
    // ---------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(value = Start.class, names = {"RINGING", "ANSWERED"})
    void cdrBeforeAnyHangupEndsTheCallByTheCallerThenCloses1000(Start from) {
        CallMachine machine = machineIn(from, settings("answerDelay", "500"));
        Cdr cdr = cdr(SESSION, "only");

        List<Action> out = machine.onEvent(cdr, T0.plusSeconds(30), FREE);

        assertEquals(new Finish(1000, "call complete"), out.get(out.size() - 1));
        assertTrue(out.indexOf(new Moved(from == Start.RINGING ? CallState.RINGING : CallState.ANSWERED, CallState.ENDED))
                < out.indexOf(new Moved(CallState.ENDED, CallState.CLOSED)), out.toString());
        CallRecord record = machine.toRecord(T0.plusSeconds(30), NO_AUDIO);
        assertEquals(EndedBy.CALLER, record.endedBy());
        assertEquals(T0.plusSeconds(30), record.endedAt());
        assertEquals(cdr, record.cdr());
        assertFalse(record.cdrSessionMismatch());
    }

    @Test
    void cdrAfterTheEndKeepsWhoEndedItAndCloses1000() {
        CallMachine machine = answered(Settings.defaults());
        machine.onTimer(CallTimer.HANGUP, T0.plusSeconds(17));

        List<Action> out = machine.onEvent(cdr(SESSION, "x"), T0.plusSeconds(18), FREE);

        assertEquals(List.of(new CancelTimers(), new Moved(CallState.ENDED, CallState.CLOSED),
                new Finish(CallMachine.CLOSE_NORMAL, "call complete")), out);
        CallRecord record = machine.toRecord(T0.plusSeconds(18), NO_AUDIO);
        assertEquals(EndedBy.SERVER, record.endedBy());
        assertEquals(T0.plusSeconds(17), record.endedAt(), "the end is when the hangup went, not when the CDR came");
    }

    @Test
    void secondCdrIsRejectedAndTheFirstIsKept() {
        CallMachine machine = answered(Settings.defaults());
        machine.onTimer(CallTimer.HANGUP, T0.plusSeconds(17));
        Cdr first = cdr(SESSION, "first");
        machine.onEvent(first, T0.plusSeconds(18), FREE);

        List<Action> out = machine.onEvent(cdr(SESSION, "second"), T0.plusSeconds(19), FREE);

        assertEquals(1, out.size(), out.toString());
        assertTrue(out.get(0) instanceof Reject, out.toString());
        CallRecord record = machine.toRecord(T0.plusSeconds(19), NO_AUDIO);
        assertEquals(first, record.cdr());
        assertEquals(1, record.protocolErrors());
    }

    @Test
    void cdrWithAnotherSessionIdIsKeptAndFlagged() {
        CallMachine machine = answered(Settings.defaults());
        machine.onTimer(CallTimer.HANGUP, T0.plusSeconds(17));
        Cdr other = cdr("someone-else", "x");

        List<Action> out = machine.onEvent(other, T0.plusSeconds(18), FREE);

        assertEquals(new Finish(1000, "call complete"), out.get(out.size() - 1));
        CallRecord record = machine.toRecord(T0.plusSeconds(18), NO_AUDIO);
        assertEquals(SESSION, record.sessionId());
        assertEquals(other, record.cdr());
        assertTrue(record.cdrSessionMismatch());
        assertEquals(0, record.protocolErrors(), "a mismatched CDR is flagged, not an error");
    }

    @Test
    void matchingCdrIsNotFlagged() {
        CallMachine machine = answered(Settings.defaults());
        machine.onEvent(new InboundEvent.Hangup(), T0.plusSeconds(9), FREE);
        machine.onEvent(cdr(SESSION, "x"), T0.plusSeconds(10), FREE);

        assertFalse(machine.toRecord(T0.plusSeconds(10), NO_AUDIO).cdrSessionMismatch());
    }

    @Test
    void cdrTimerClosesWith1000AndKeepsWhoEndedIt() {
        CallMachine machine = answered(settings("cdrTimeout", "4000"));
        List<Action> ended = machine.onEvent(new InboundEvent.Hangup(), T0.plusSeconds(9), FREE);
        assertTrue(ended.contains(new Schedule(CallTimer.CDR, Duration.ofMillis(4000))), ended.toString());

        List<Action> out = machine.onTimer(CallTimer.CDR, T0.plusSeconds(13));

        assertEquals(List.of(new CancelTimers(), new Moved(CallState.ENDED, CallState.CLOSED)), out.subList(0, 2));
        assertEquals(1000, ((Finish) out.get(2)).closeCode());
        assertEquals(3, out.size());
        CallRecord record = machine.toRecord(T0.plusSeconds(13), NO_AUDIO);
        assertEquals(EndedBy.CALLER, record.endedBy());
        assertNull(record.cdr());
    }

    // ---------------------------------------------------------------------------------------------
    // Close and record
    // ---------------------------------------------------------------------------------------------

    @Test
    void closeWithoutEndIsADisconnect() {
        CallMachine machine = answered(Settings.defaults());

        List<Action> out = machine.onClosed(T0.plusSeconds(8));

        assertEquals(List.of(new CancelTimers(), new Moved(CallState.ANSWERED, CallState.CLOSED)), out);
        CallRecord record = machine.toRecord(T0.plusSeconds(8), NO_AUDIO);
        assertEquals(EndedBy.DISCONNECT, record.endedBy());
        assertEquals(T0.plusSeconds(8), record.endedAt());
        assertEquals(T0.plusSeconds(8), record.closedAt());
    }

    @Test
    void closeAfterTheEndKeepsWhoEndedIt() {
        CallMachine machine = answered(Settings.defaults());
        machine.onTimer(CallTimer.HANGUP, T0.plusSeconds(17));

        machine.onClosed(T0.plusSeconds(20));

        assertEquals(EndedBy.SERVER, machine.endedBy());
        assertEquals(T0.plusSeconds(17), machine.toRecord(T0.plusSeconds(20), NO_AUDIO).endedAt());
        assertEquals(List.of(), machine.onClosed(T0.plusSeconds(21)), "closed once");
    }

    @Test
    void recordCarriesTheCall() {
        CallMachine machine = answered(Settings.defaults());
        CallRecord.Audio audio = new CallRecord.Audio(10, 3200, 9, 2880, 1, 0);

        CallRecord record = machine.toRecord(T0.plusSeconds(30), audio);

        assertEquals(SESSION, record.sessionId());
        assertEquals("+15550001111", record.callerId());
        assertEquals("+15559870002", record.didNumber());
        assertEquals(T0, record.connectedAt());
        assertEquals(T0.plusSeconds(5), record.incomingAt());
        assertEquals(T0.plusSeconds(5), record.answeredAt());
        assertNull(record.endedAt());
        assertEquals(T0.plusSeconds(30), record.closedAt());
        assertEquals(audio, record.audio());
    }

    @Test
    void withheldCallerIdIsStillAnswered() {
        CallMachine machine = new CallMachine(Settings.defaults(), T0);

        List<Action> out = machine.onEvent(new IncomingCall(null, "+15559870002", "withheld"), T0, FREE);

        assertTrue(out.contains(new Send(new Command.Answer())), out.toString());
        assertEquals("", machine.toRecord(T0, NO_AUDIO).callerId());
    }

    // ---------------------------------------------------------------------------------------------
    // Digits
    // ---------------------------------------------------------------------------------------------

    @Test
    void digitsAreRecordedInOrderWithLettersUpperCased() {
        CallMachine machine = answered(Settings.defaults());

        for (String digit : List.of("1", "a", "#", "*", "D", "0", "b")) {
            assertEquals(List.of(), machine.onEvent(new InboundEvent.Dtmf(digit), T0.plusSeconds(8), FREE));
        }

        assertEquals("1A#*D0B", machine.toRecord(T0.plusSeconds(9), NO_AUDIO).digitsReceived());
    }

    @Test
    void digitsReceivedStopAtMaxDigits() {
        CallMachine machine = answered(Settings.defaults());

        for (int i = 0; i < CallMachine.MAX_DIGITS + 10; i++) {
            machine.onEvent(new InboundEvent.Dtmf(i < CallMachine.MAX_DIGITS ? "7" : "9"), T0.plusSeconds(8), FREE);
        }

        String digits = machine.toRecord(T0.plusSeconds(9), NO_AUDIO).digitsReceived();
        assertEquals(CallMachine.MAX_DIGITS, digits.length());
        assertEquals("7".repeat(CallMachine.MAX_DIGITS), digits, "the first digits are kept, the extra dropped");
        assertEquals(CallState.ANSWERED, machine.state(), "too many digits do not end the call");
    }

    @Test
    void digitsSentStopAtMaxDigits() {
        CallMachine machine = answered(Settings.defaults());

        for (int i = 0; i < CallMachine.MAX_DIGITS + 3; i++) {
            machine.onTimer(CallTimer.DTMF, T0.plusSeconds(7));
        }

        assertEquals(CallMachine.MAX_DIGITS, machine.toRecord(T0.plusSeconds(9), NO_AUDIO).digitsSent().length());
    }

    // ---------------------------------------------------------------------------------------------

    private static CallMachine answered(Settings settings) {
        CallMachine machine = new CallMachine(settings, T0);
        machine.start();
        machine.onEvent(INCOMING, T0.plusSeconds(5), FREE);
        if (machine.state() == CallState.RINGING) {
            machine.onTimer(CallTimer.ANSWER, T0.plusSeconds(5));
        }
        return machine;
    }

    private static int errors(CallMachine machine) {
        return machine.toRecord(T0, NO_AUDIO).protocolErrors();
    }

    private static Cdr cdr(String sessionId, String destination) {
        return new Cdr(sessionId, destination, "2026-11-24T12:00:05Z", "2026-11-24T12:00:05Z", "2026-11-24T12:00:17Z",
                "12", "12", "ANSWERED", "CALLEE", "16", "Normal Clearing", null);
    }

    static Settings settings(String... namesAndValues) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            values.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return Settings.from(values::get);
    }
}
