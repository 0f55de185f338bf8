package io.callsocket;

/** PROTOCOL.md's states of a call, in the order a call passes them. */
public enum CallState {
    CONNECTED, RINGING, ANSWERED, ENDED, CLOSED
}
