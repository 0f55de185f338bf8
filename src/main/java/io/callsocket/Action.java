package io.callsocket;

import java.time.Duration;

/** What the call logic asks its connection to do. */
public sealed interface Action {

    /** The call moved from one state to the next: one log line each. */
    record Moved(CallState from, CallState to) implements Action {
    }

    record Send(Command command) implements Action {
    }

    record Schedule(CallTimer timer, Duration delay) implements Action {
    }

    /** Cancel every timer of the call: it has ended. */
    record CancelTimers() implements Action {
    }

    /** A message was dropped: log it against the call and count it. The call goes on. */
    record Reject(String reason) implements Action {
    }

    /** Keep the call's record, then close the connection with this code once the record is kept. */
    record Finish(int closeCode, String reason) implements Action {
    }
}
