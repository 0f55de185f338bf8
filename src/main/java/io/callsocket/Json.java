package io.callsocket;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.spi.JsonProvider;

/** The one JSON-B instance and the one JSON-P provider: thread-safe, and shared by every call (and the simulator). */
public final class Json {
    public static final Jsonb JSONB = JsonbBuilder.create();
    /**
     * The JSON-P provider, looked up once: jakarta.json.Json's static methods look it up through
     * ServiceLoader on every call, a scan of the class path that the profile showed on every record.
     */
    public static final JsonProvider JSONP = JsonProvider.provider();

    private Json() {
    }
}
