package io.callsocket;

import jakarta.json.bind.annotation.JsonbSubtype;
import jakarta.json.bind.annotation.JsonbTypeInfo;

/** What the server sends to the platform as text frames. */
@JsonbTypeInfo(key = "event", value = {
        @JsonbSubtype(alias = "answer", type = Command.Answer.class),
        @JsonbSubtype(alias = "dtmf", type = Command.Dtmf.class),
        @JsonbSubtype(alias = "hangup", type = Command.Hangup.class),
        @JsonbSubtype(alias = "interrupt", type = Command.Interrupt.class)})
public sealed interface Command {

    record Answer() implements Command {
    }

    /** A tone played to the caller: digit 0-9 * #, duration 1..1000 ms (the published API's limits). */
    record Dtmf(String digit, int duration) implements Command {
        public static final String DIGITS = "0123456789*#";
        public static final int MAX_DURATION = 1000;

        public Dtmf {
            if (digit == null || digit.length() != 1 || DIGITS.indexOf(digit.charAt(0)) < 0) {
                throw new IllegalArgumentException("dtmf digit must be one of 0-9 * #");
            }
            if (duration < 1 || duration > MAX_DURATION) {
                throw new IllegalArgumentException("dtmf duration must be 1.." + MAX_DURATION + " ms");
            }
        }
    }

    record Hangup() implements Command {
    }

    /** Clears audio the platform has queued (barge-in); not in the published API, so never sent by default. */
    record Interrupt() implements Command {
    }
}
