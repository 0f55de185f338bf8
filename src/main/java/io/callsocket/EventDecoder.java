package io.callsocket;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.JsonbException;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import jakarta.websocket.DecodeException;
import jakarta.websocket.Decoder;
import jakarta.websocket.EndpointConfig;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Text frame to {@link InboundEvent}. A bad frame becomes a DecodeException whose message says why.
 *
 * <p>The text is first read whole as one JSON object (Yasson alone stops after the first value, so
 * {@code {"event":"hangup"}garbage} would pass as a hangup), its field types are checked (Yasson
 * turns a number or a boolean into a String field), then JSON-B binds it to the event's record,
 * whose constructor checks the values.
 */
public class EventDecoder implements Decoder.Text<InboundEvent> {
    /** The endpoint config's user property holding maxTextMessage. */
    static final String MAX_TEXT_MESSAGE = "io.callsocket.maxTextMessage";

    private static final JsonParserFactory PARSERS = Json.JSONP.createParserFactory(Map.of());

    /** Fields PROTOCOL.md requires to be JSON strings, by event; the CDR's numbers may be numbers. */
    private static final Map<String, List<String>> STRING_FIELDS = Map.of(
            "incoming_call", List.of("callerId", "didNumber", "sessionId"),
            "dtmf", List.of("digit"),
            "cdr", List.of("sessionId"));

    /** A text message over maxTextMessage: closes the connection with 1009, as a container's own limit would. */
    static final class OversizeMessage extends DecodeException {
        OversizeMessage(String text, String reason) {
            super(text, reason);
        }
    }

    private int maxTextMessage = Integer.MAX_VALUE;

    /**
     * Tomcat closes with 1009 a text message over the session's limit before any decoder sees it;
     * Tyrus applies no limit to a whole message for a programmatic endpoint, so it is checked here.
     */
    @Override
    public void init(EndpointConfig config) {
        if (config.getUserProperties().get(MAX_TEXT_MESSAGE) instanceof Integer limit) {
            maxTextMessage = limit;
        }
    }

    @Override
    public InboundEvent decode(String text) throws DecodeException {
        if (text.length() > maxTextMessage / 3 && text.getBytes(StandardCharsets.UTF_8).length > maxTextMessage) {
            throw new OversizeMessage(text.substring(0, Math.min(64, text.length())),
                    "text message larger than maxTextMessage " + maxTextMessage + " bytes");
        }
        JsonObject object = readObject(text);
        JsonValue event = object.get("event");
        if (!(event instanceof JsonString name)) {
            throw new DecodeException(text, event == null ? "no event field" : "event is not a string");
        }
        for (String field : STRING_FIELDS.getOrDefault(name.getString(), List.of())) {
            JsonValue value = object.get(field);
            if (value != null && value.getValueType() != JsonValue.ValueType.STRING
                    && value.getValueType() != JsonValue.ValueType.NULL) {
                throw new DecodeException(text, field + " is not a string");
            }
        }
        if (name.getString().equals("cdr")) {
            object = cdrValuesAsText(object);
        }
        try {
            InboundEvent decoded = Json.JSONB.fromJson(object.toString(), InboundEvent.class);
            return decoded instanceof InboundEvent.Cdr cdr ? cdr.withJson(text) : decoded;
        } catch (JsonbException | IllegalArgumentException e) {
            throw new DecodeException(text, reason(e), e);
        }
    }

    @Override
    public boolean willDecode(String text) {
        return true;
    }

    private static JsonObject readObject(String text) throws DecodeException {
        if (text.isBlank()) {
            throw new DecodeException(text, "empty message");
        }
        try (JsonParser parser = PARSERS.createParser(new StringReader(text))) {
            JsonParser.Event first = parser.next();
            if (first != JsonParser.Event.START_OBJECT) {
                throw new DecodeException(text, "not a JSON object");
            }
            JsonObject object = parser.getObject();
            if (parser.hasNext()) {
                throw new DecodeException(text, "text after the JSON object");
            }
            return object;
        } catch (jakarta.json.JsonException | java.util.NoSuchElementException e) {
            throw new DecodeException(text, "malformed JSON: " + e.getMessage(), e);
        }
    }

    /**
     * PROTOCOL.md: store what comes, never reject a CDR for an unknown value. A CDR field that is
     * an object, array or boolean is kept as its JSON text rather than failing the whole record.
     */
    private static JsonObject cdrValuesAsText(JsonObject cdr) {
        JsonObjectBuilder lenient = Json.JSONP.createObjectBuilder();
        cdr.forEach((field, value) -> {
            switch (value.getValueType()) {
                case OBJECT, ARRAY, TRUE, FALSE -> lenient.add(field, value.toString());
                default -> lenient.add(field, value);
            }
        });
        return lenient.build();
    }

    /** Our own field checks carry the clearest message; they arrive wrapped by Yasson. */
    private static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException) {
                return t.getMessage();
            }
        }
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }
}
