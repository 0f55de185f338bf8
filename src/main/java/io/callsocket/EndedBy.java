package io.callsocket;

/** Who ended a call, as the server's record states it. */
public enum EndedBy {
    SERVER, CALLER, DISCONNECT, TIMEOUT;

    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
