package io.callsocket.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The CDR a platform sends when a call is over, built from what the simulated call saw. */
public final class Cdr {
    private Cdr() {
    }

    /**
     * @param answered   null if the call was never answered
     * @param byCaller   true when the caller hung up, false when the server (the callee side) did
     */
    public static Map<String, Object> of(String sessionId, String destination, Instant start, Instant answered,
                                         Instant end, boolean byCaller) {
        Map<String, Object> cdr = new LinkedHashMap<>();
        cdr.put("event", "cdr");
        cdr.put("sessionId", sessionId);
        cdr.put("destination", destination);
        cdr.put("startTime", start.toString());
        cdr.put("answerTime", answered == null ? "" : answered.toString());
        cdr.put("endTime", end.toString());
        cdr.put("duration", seconds(start, end));
        cdr.put("billableSeconds", answered == null ? 0 : seconds(answered, end));
        cdr.put("disposition", answered == null ? (byCaller ? "CANCEL" : "NO ANSWER") : "ANSWERED");
        cdr.put("hangupBy", byCaller ? "CALLER" : "CALLEE");
        // Q.850: 16 normal clearing once answered; 487 is SIP's, so an unanswered call gets 19 (no answer).
        cdr.put("hangupCauseCode", answered == null ? "19" : "16");
        cdr.put("hangupCauseText", answered == null ? "No Answer" : "Normal Clearing");
        cdr.put("source", "callsocket-simulator");
        return cdr;
    }

    /** Whole seconds, rounded up as carriers bill a started second. */
    static long seconds(Instant from, Instant to) {
        long millis = Math.max(0, Duration.between(from, to).toMillis());
        return (millis + 999) / 1000;
    }
}
