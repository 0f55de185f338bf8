package io.callsocket;

import jakarta.json.bind.JsonbException;
import jakarta.websocket.DecodeException;
import jakarta.websocket.Decoder;

/** Text frame to {@link InboundEvent}. A bad frame becomes a DecodeException whose message says why. */
public class EventDecoder implements Decoder.Text<InboundEvent> {

    @Override
    public InboundEvent decode(String text) throws DecodeException {
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
