package io.callsocket.containers;

import io.callsocket.CallCases;
import io.callsocket.CallTarget;

import java.net.URI;

/** A container with the WAR deployed twice on one port: as ROOT, and as alt.war with the moved path. */
abstract class WarTarget implements CallTarget {
    protected final int port;

    WarTarget(int port) {
        this.port = port;
    }

    @Override
    public URI uri() {
        return URI.create("ws://localhost:" + port + "/");
    }

    @Override
    public URI movedUri() {
        return URI.create("ws://localhost:" + port + "/alt" + CallCases.MOVED_PATH);
    }

    @Override
    public URI movedRoot() {
        return URI.create("ws://localhost:" + port + "/alt/");
    }
}
