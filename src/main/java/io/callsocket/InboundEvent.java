package io.callsocket;

import jakarta.json.bind.annotation.JsonbSubtype;
import jakarta.json.bind.annotation.JsonbTransient;
import jakarta.json.bind.annotation.JsonbTypeInfo;

/**
 * What the platform sends as text frames. Each record checks its own fields, so a decoded event
 * is a valid one; fields the API does not list are ignored by the decoder.
 */
@JsonbTypeInfo(key = "event", value = {
        @JsonbSubtype(alias = "incoming_call", type = InboundEvent.IncomingCall.class),
        @JsonbSubtype(alias = "dtmf", type = InboundEvent.Dtmf.class),
        @JsonbSubtype(alias = "hangup", type = InboundEvent.Hangup.class),
        @JsonbSubtype(alias = "cdr", type = InboundEvent.Cdr.class)})
public sealed interface InboundEvent {

    /** Longest identifier we accept (sessionId, numbers, digit). */
    int MAX_FIELD = 128;

    /** A withheld number arrives as an empty or missing callerId and is still a call. */
    record IncomingCall(String callerId, String didNumber, String sessionId) implements InboundEvent {
        public IncomingCall {
            callerId = callerId == null ? "" : checked("callerId", callerId, false);
            checked("didNumber", didNumber, true);
            checked("sessionId", sessionId, true);
        }
    }

    /** A digit the caller pressed; a-d are taken as A-D. */
    record Dtmf(String digit) implements InboundEvent {
        public Dtmf {
            checked("digit", digit, true);
            digit = digit.toUpperCase(java.util.Locale.ROOT);
            if (digit.length() != 1 || "0123456789*#ABCD".indexOf(digit.charAt(0)) < 0) {
                throw new IllegalArgumentException("digit is not one of 0-9 * # A-D");
            }
        }
    }

    record Hangup() implements InboundEvent {
    }

    /**
     * The platform's call detail record. Numbers and the cause code are kept as sent (a JSON number
     * or a numeric string both bind to a String), and {@code json} keeps the whole original message.
     */
    record Cdr(String sessionId, String destination, String startTime, String answerTime, String endTime,
               String duration, String billableSeconds, String disposition, String hangupBy,
               String hangupCauseCode, String hangupCauseText, @JsonbTransient String json)
            implements InboundEvent {
        public Cdr {
            checked("sessionId", sessionId, true);
        }

        Cdr withJson(String original) {
            return new Cdr(sessionId, destination, startTime, answerTime, endTime, duration, billableSeconds,
                    disposition, hangupBy, hangupCauseCode, hangupCauseText, original);
        }
    }

    private static String checked(String name, String value, boolean required) {
        if (value == null || (required && value.isEmpty())) {
            throw new IllegalArgumentException(name + " is missing or empty");
        }
        if (value.length() > MAX_FIELD) {
            throw new IllegalArgumentException(name + " is longer than " + MAX_FIELD + " characters");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(name + " contains control characters");
        }
        return value;
    }
}
