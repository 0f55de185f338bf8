package io.callsocket;

/** CDRs as the platform sends them, for tests. */
final class Cdrs {
    private Cdrs() {
    }

    static String json(String sessionId) {
        return "{\"event\":\"cdr\",\"sessionId\":\"" + sessionId + "\",\"destination\":\"+15559870002\","
                + "\"startTime\":\"2026-11-24T12:00:00Z\",\"answerTime\":\"2026-11-24T12:00:00Z\","
                + "\"endTime\":\"2026-11-24T12:00:12Z\",\"duration\":12,\"billableSeconds\":12,"
                + "\"disposition\":\"ANSWERED\",\"hangupBy\":\"CALLEE\",\"hangupCauseCode\":\"16\","
                + "\"hangupCauseText\":\"Normal Clearing\",\"source\":\"platform\"}";
    }
}
