package io.callsocket;

import java.time.Instant;

/**
 * The server's own record of one connection, kept when it closes, however it closes
 * (PROTOCOL.md, "What the server keeps"). sessionId and the call's numbers are null when no
 * incoming_call was accepted; cdr is null when none came.
 */
public record CallRecord(
        String sessionId,
        String callerId,
        String didNumber,
        Instant connectedAt,
        Instant incomingAt,
        Instant answeredAt,
        Instant endedAt,
        Instant closedAt,
        EndedBy endedBy,
        String digitsReceived,
        String digitsSent,
        Audio audio,
        int protocolErrors,
        InboundEvent.Cdr cdr,
        boolean cdrSessionMismatch) {

    /**
     * Audio counters of one call; frames in = out + dropped. Out: echoed, or waiting to be when the
     * record was kept (it is kept at the CDR, before the close). Dropped: outside the answered
     * call, or past the send backlog bound, or never sent because the connection went.
     */
    public record Audio(long framesIn, long bytesIn, long framesOut, long bytesOut,
                        long framesDroppedOutsideCall, long framesDroppedBacklog) {
    }

    CallRecord withoutCdr() {
        return new CallRecord(sessionId, callerId, didNumber, connectedAt, incomingAt, answeredAt, endedAt, closedAt,
                endedBy, digitsReceived, digitsSent, audio, protocolErrors, null, false);
    }
}
