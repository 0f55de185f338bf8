package io.callsocket;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

/** The one JSON-B instance: thread-safe and costly to build, so shared by every call (and the simulator). */
public final class Json {
    public static final Jsonb JSONB = JsonbBuilder.create();

    private Json() {
    }
}
