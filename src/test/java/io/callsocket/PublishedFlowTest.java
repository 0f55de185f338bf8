package io.callsocket;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The flow of the published API, end to end, through a real WebSocket. */
class PublishedFlowTest {

    @Test
    void shortenedTimings() throws Exception {
        try (TestServer server = TestServer.start(TestServer.SHORT)) {
            publishedFlow(server, 10);
        }
    }

    /** The defaults as shipped: dtmf 2 s and hangup 12 s after answer. */
    @Test
    void defaultTimings() throws Exception {
        try (TestServer server = TestServer.start(Map.of())) {
            publishedFlow(server, 50);
        }
    }

    private static void publishedFlow(TestServer server, int frames) throws Exception {
        try (PlatformClient platform = server.connect()) {
            platform.incomingCall("flow-1");
            platform.expectText("{\"event\":\"answer\"}");

            for (int i = 0; i < frames; i++) {
                byte[] frame = frame(i);
                platform.sendAudio(frame);
                ByteBuffer echoed = platform.nextFrame();
                assertArrayEquals(frame, bytes(echoed), "frame " + i);
            }
            platform.send("{\"event\":\"dtmf\",\"digit\":\"1\"}");
            platform.send("{\"event\":\"dtmf\",\"digit\":\"#\"}");

            platform.expectText("{\"event\":\"dtmf\",\"digit\":\"1\",\"duration\":200}");
            platform.expectText("{\"event\":\"hangup\"}");
            platform.cdr("flow-1");
            assertEquals(new PlatformClient.Closed(1000, "call complete"), platform.awaitClose());
        }
        CallRecord record = server.nextRecord();
        assertEquals("flow-1", record.sessionId());
        assertEquals("+15551230001", record.callerId());
        assertEquals("+15559870002", record.didNumber());
        assertEquals(EndedBy.SERVER, record.endedBy());
        assertEquals("1#", record.digitsReceived());
        assertEquals("1", record.digitsSent());
        assertEquals(new CallRecord.Audio(frames, frames * 320L, frames, frames * 320L, 0, 0), record.audio());
        assertEquals(0, record.protocolErrors());
        assertNotNull(record.cdr());
        assertEquals("ANSWERED", record.cdr().disposition());
        assertEquals("12", record.cdr().duration());
        assertTrue(record.cdr().json().contains("\"source\":\"platform\""), "original JSON kept");
        assertFalse(record.cdrSessionMismatch());
        assertTrue(!record.connectedAt().isAfter(record.incomingAt())
                && !record.incomingAt().isAfter(record.answeredAt())
                && !record.answeredAt().isAfter(record.endedAt())
                && !record.endedAt().isAfter(record.closedAt()), "times in order: " + record);
        assertEquals(record, server.calls().store().find("flow-1").orElseThrow());
    }

    /** 20 ms of 8 kHz L16 whose bytes say which frame it is. */
    static byte[] frame(int seed) {
        byte[] frame = new byte[320];
        for (int i = 0; i < frame.length; i++) {
            frame[i] = (byte) (seed * 31 + i);
        }
        return frame;
    }

    static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
