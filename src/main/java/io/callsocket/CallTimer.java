package io.callsocket;

/** The timers a call can have running; each belongs to its call and dies with it. */
public enum CallTimer {
    FIRST_EVENT, ANSWER, DTMF, HANGUP, CDR
}
