package io.callsocket.sim;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;

/** The simulator's JSON-B instance: CDRs on the wire, and the result file. */
final class Json {
    static final Jsonb JSONB = JsonbBuilder.create(new JsonbConfig().withFormatting(false));

    private Json() {
    }
}
