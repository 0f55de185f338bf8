package io.callsocket;

import jakarta.json.bind.JsonbException;
import jakarta.websocket.DecodeException;
import jakarta.websocket.Decoder;
import jakarta.websocket.EndpointConfig;

import java.nio.charset.StandardCharsets;

/** Text frame to {@link InboundEvent}. A bad frame becomes a DecodeException whose message says why. */
public class EventDecoder implements Decoder.Text<InboundEvent> {
    /** The endpoint config's user property holding maxTextMessage. */
    static final String MAX_TEXT_MESSAGE = "io.callsocket.maxTextMessage";

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
            throw new OversizeMessage(text.substring(0, 64), "text message larger than maxTextMessage " + maxTextMessage + " bytes");
        }
        if (text.isBlank()) {
            throw new DecodeException(text, "empty message");
        }
        try {
            InboundEvent event = Json.JSONB.fromJson(text, InboundEvent.class);
            if (event == null) {
                throw new DecodeException(text, "not a JSON object");
            }
            return event instanceof InboundEvent.Cdr cdr ? cdr.withJson(text) : event;
        } catch (JsonbException | IllegalArgumentException e) {
            throw new DecodeException(text, reason(e), e);
        }
    }

    @Override
    public boolean willDecode(String text) {
        return true;
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
