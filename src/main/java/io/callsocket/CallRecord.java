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

    /** Audio counters of one call. Dropped frames: outside the answered call, or past the send backlog. */
    public record Audio(long framesIn, long bytesIn, long framesOut, long bytesOut,
                        long framesDroppedOutsideCall, long framesDroppedBacklog) {
    }

    CallRecord withoutCdr() {
        return new CallRecord(sessionId, callerId, didNumber, connectedAt, incomingAt, answeredAt, endedAt, closedAt,
                endedBy, digitsReceived, digitsSent, audio, protocolErrors, null, false);
    }
}
