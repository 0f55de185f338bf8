package io.callsocket;

import jakarta.websocket.CloseReason;
import jakarta.websocket.DecodeException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;

import java.nio.ByteBuffer;

/**
 * The WebSocket endpoint: each handler hands over to the connection's {@link Call}.
 *
 * <p>A programmatic endpoint, not an annotated one, because the path comes from web.xml: Tyrus
 * (embedded, and inside Payara) deploys an annotated class only at its annotation's path, whatever
 * ServerEndpointConfig it is given. Its two message handlers are the ones an annotated endpoint
 * would have: decoded events from text frames, audio as ByteBuffer.
 */
public final class CallEndpoint extends Endpoint {
    private final CallServer server;

    CallEndpoint(CallServer server) {
        this.server = server;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        session.setMaxBinaryMessageBufferSize(server.settings().maxBinaryMessage());
        session.setMaxTextMessageBufferSize(server.settings().maxTextMessage());
        // The call's own timers bound its life. Tyrus re-arms a timeout of 0 ("none") on every
        // message, a scheduled task per audio frame; a negative one it leaves alone.
        session.setMaxIdleTimeout(-1);
        Call call = Call.open(session, server);
        server.opened(call);
        session.addMessageHandler(InboundEvent.class, call::onEvent);
        session.addMessageHandler(ByteBuffer.class, call::onAudio);
    }

    @Override
    public void onClose(Session session, CloseReason reason) {
        Call.of(session).onClosed(reason);
    }

    @Override
    public void onError(Session session, Throwable error) {
        // A frame that does not decode never ends the call (PROTOCOL.md): drop it and go on.
        if (error instanceof EventDecoder.OversizeMessage oversize) {
            Call.of(session).onOversize(oversize.getMessage());
        } else if (error instanceof DecodeException bad) {
            Call.of(session).onBadMessage(bad.getMessage());
        } else {
            Call.of(session).onError(error);
        }
    }
}
