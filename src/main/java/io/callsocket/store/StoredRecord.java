package io.callsocket.store;

import io.callsocket.CallRecord;
import io.callsocket.EndedBy;
import io.callsocket.InboundEvent;
import io.callsocket.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.time.Instant;
import java.util.UUID;

/**
 * A call record with the id it got when it was saved. The id makes a replayed record harmless: the
 * database keeps one row per id (and per sessionId). One line of JSON in the spool; the field names
 * are written out here, not taken from the Java records, so the spool outlives a refactoring.
 */
record StoredRecord(String id, CallRecord record) {
    private static final int FORMAT = 1;

    static StoredRecord of(CallRecord record) {
        return new StoredRecord(UUID.randomUUID().toString(), record);
    }

    /** One line: JSON escapes every line break inside its strings. */
    String toLine() {
        CallRecord r = record;
        JsonObjectBuilder out = Json.JSONP.createObjectBuilder().add("format", FORMAT).add("id", id);
        text(out, "sessionId", r.sessionId());
        text(out, "callerId", r.callerId());
        text(out, "didNumber", r.didNumber());
        time(out, "connectedAt", r.connectedAt());
        time(out, "incomingAt", r.incomingAt());
        time(out, "answeredAt", r.answeredAt());
        time(out, "endedAt", r.endedAt());
        time(out, "closedAt", r.closedAt());
        text(out, "endedBy", r.endedBy() == null ? null : r.endedBy().name());
        text(out, "digitsReceived", r.digitsReceived());
        text(out, "digitsSent", r.digitsSent());
        CallRecord.Audio a = r.audio();
        out.add("audio", Json.JSONP.createObjectBuilder()
                .add("framesIn", a.framesIn()).add("bytesIn", a.bytesIn())
                .add("framesOut", a.framesOut()).add("bytesOut", a.bytesOut())
                .add("framesDroppedOutsideCall", a.framesDroppedOutsideCall())
                .add("framesDroppedBacklog", a.framesDroppedBacklog()));
        out.add("protocolErrors", r.protocolErrors());
        out.add("cdrSessionMismatch", r.cdrSessionMismatch());
        InboundEvent.Cdr c = r.cdr();
        if (c == null) {
            out.addNull("cdr");
        } else {
            JsonObjectBuilder cdr = Json.JSONP.createObjectBuilder();
            text(cdr, "sessionId", c.sessionId());
            text(cdr, "destination", c.destination());
            text(cdr, "startTime", c.startTime());
            text(cdr, "answerTime", c.answerTime());
            text(cdr, "endTime", c.endTime());
            text(cdr, "duration", c.duration());
            text(cdr, "billableSeconds", c.billableSeconds());
            text(cdr, "disposition", c.disposition());
            text(cdr, "hangupBy", c.hangupBy());
            text(cdr, "hangupCauseCode", c.hangupCauseCode());
            text(cdr, "hangupCauseText", c.hangupCauseText());
            text(cdr, "json", c.json());
            out.add("cdr", cdr);
        }
        return out.build().toString();
    }

    /** @throws RuntimeException when the line is not one this class wrote (a torn or damaged line) */
    static StoredRecord fromLine(String line) {
        JsonObject in;
        try (JsonReader reader = Json.JSONP.createReader(new StringReader(line))) {
            in = reader.readObject();
        }
        if (in.getInt("format") != FORMAT) {
            throw new IllegalArgumentException("unknown spool format " + in.getInt("format"));
        }
        JsonObject a = in.getJsonObject("audio");
        CallRecord.Audio audio = new CallRecord.Audio(a.getJsonNumber("framesIn").longValue(),
                a.getJsonNumber("bytesIn").longValue(), a.getJsonNumber("framesOut").longValue(),
                a.getJsonNumber("bytesOut").longValue(), a.getJsonNumber("framesDroppedOutsideCall").longValue(),
                a.getJsonNumber("framesDroppedBacklog").longValue());
        InboundEvent.Cdr cdr = null;
        if (!in.isNull("cdr")) {
            JsonObject c = in.getJsonObject("cdr");
            cdr = new InboundEvent.Cdr(text(c, "sessionId"), text(c, "destination"), text(c, "startTime"),
                    text(c, "answerTime"), text(c, "endTime"), text(c, "duration"), text(c, "billableSeconds"),
                    text(c, "disposition"), text(c, "hangupBy"), text(c, "hangupCauseCode"),
                    text(c, "hangupCauseText"), text(c, "json"));
        }
        String endedBy = text(in, "endedBy");
        return new StoredRecord(in.getString("id"), new CallRecord(text(in, "sessionId"), text(in, "callerId"),
                text(in, "didNumber"), time(in, "connectedAt"), time(in, "incomingAt"), time(in, "answeredAt"),
                time(in, "endedAt"), time(in, "closedAt"), endedBy == null ? null : EndedBy.valueOf(endedBy),
                text(in, "digitsReceived"), text(in, "digitsSent"), audio, in.getInt("protocolErrors"), cdr,
                in.getBoolean("cdrSessionMismatch")));
    }

    private static void text(JsonObjectBuilder out, String name, String value) {
        if (value == null) {
            out.addNull(name);
        } else {
            out.add(name, value);
        }
    }

    private static void time(JsonObjectBuilder out, String name, Instant value) {
        text(out, name, value == null ? null : value.toString());
    }

    private static String text(JsonObject in, String name) {
        JsonValue value = in.get(name);
        return value == null || value.getValueType() == JsonValue.ValueType.NULL ? null : in.getString(name);
    }

    private static Instant time(JsonObject in, String name) {
        String value = text(in, name);
        return value == null ? null : Instant.parse(value);
    }
}
