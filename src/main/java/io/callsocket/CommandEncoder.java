package io.callsocket;

import jakarta.websocket.Encoder;

public class CommandEncoder implements Encoder.Text<Command> {

    @Override
    public String encode(Command command) {
        return Json.JSONB.toJson(command);
    }
}
