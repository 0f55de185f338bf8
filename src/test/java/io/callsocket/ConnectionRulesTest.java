package io.callsocket;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PROTOCOL.md's rules for connections: first-event timeout, one live call per sessionId, frame size, CDRs. */
class ConnectionRulesTest {

    @Test
    void connectionWithoutIncomingCallIsClosedWith1008() throws Exception {
        try (TestServer server = TestServer.start(Map.of("firstEventTimeout", "300"));
             PlatformClient platform = server.connect()) {
            platform.send("{\"event\":\"dtmf\",\"digit\":\"5\"}");

            assertEquals(new PlatformClient.Closed(1008, "no incoming_call within 300 ms"), platform.awaitClose());
            CallRecord record = server.nextRecord();
            assertNull(record.sessionId());
            assertEquals(EndedBy.TIMEOUT, record.endedBy());
            assertEquals(1, record.protocolErrors());
        }
    }

    @Test
    void secondLiveCallWithTheSameSessionIdIsRefusedAndTheFirstGoesOn() throws Exception {
        try (TestServer server = TestServer.start(TestServer.SHORT);
             PlatformClient first = server.connect(); PlatformClient second = server.connect()) {
            first.incomingCall("shared-id");
            first.expectText("{\"event\":\"answer\"}");

            second.incomingCall("shared-id");
            assertEquals(1008, second.awaitClose().code());
            CallRecord refused = server.nextRecord();
            assertNull(refused.sessionId(), "the refused connection never held the sessionId");
            assertEquals(EndedBy.SERVER, refused.endedBy());

            byte[] frame = PublishedFlowTest.frame(7);
            first.sendAudio(frame);
            assertArrayEquals(frame, PublishedFlowTest.bytes(first.nextFrame()));
            first.expectText("{\"event\":\"dtmf\",\"digit\":\"1\",\"duration\":200}");
            first.expectText("{\"event\":\"hangup\"}");
            first.cdr("shared-id");
            assertEquals(1000, first.awaitClose().code());
            CallRecord kept = server.nextRecord();
            assertEquals("shared-id", kept.sessionId());
            assertEquals(0, kept.protocolErrors());
        }
    }

    @Test
    void oversizeAudioFrameClosesWith1009() throws Exception {
        try (TestServer server = TestServer.start(Map.of("maxBinaryMessage", "1000"));
             PlatformClient platform = server.connect()) {
            platform.incomingCall("too-big");
            platform.expectText("{\"event\":\"answer\"}");
            platform.sendAudio(new byte[1000]);
            assertEquals(1000, platform.nextFrame().remaining(), "a frame at the limit is echoed");

            platform.sendAudio(new byte[1001]);
            assertEquals(1009, platform.awaitClose().code());
            CallRecord record = server.nextRecord();
            assertEquals(EndedBy.SERVER, record.endedBy());
            assertEquals(1, record.audio().framesOut());
        }
    }

    @Test
    void oversizeTextMessageClosesWith1009() throws Exception {
        try (TestServer server = TestServer.start(Map.of()); PlatformClient platform = server.connect()) {
            platform.incomingCall("too-much-text");
            platform.expectText("{\"event\":\"answer\"}");
            platform.send("{\"event\":\"dtmf\",\"digit\":\"" + "1".repeat(70_000) + "\"}");
            assertEquals(1009, platform.awaitClose().code());
        }
    }

    @Test
    void audioWaitingForASlowPlatformIsBoundedDroppingTheOldest() throws Exception {
        int frames = 300;
        int size = 60_000; // 18 MB in all: more than loopback's socket buffers hold
        try (TestServer server = TestServer.start(Map.of("outboundAudioFrames", "10", "hangupDelay", "60000"));
             PlatformClient platform = server.connect()) {
            platform.incomingCall("slow-platform");
            platform.expectText("{\"event\":\"answer\"}");
            platform.pauseReading();
            for (int i = 0; i < frames; i++) {
                byte[] frame = new byte[size];
                java.nio.ByteBuffer.wrap(frame).putInt(i);
                platform.sendAudio(frame);
            }
            platform.send("{\"event\":\"hangup\"}");
            platform.cdr("slow-platform");
            platform.resumeReading();

            assertEquals(1000, platform.awaitClose().code());
            CallRecord.Audio audio = server.nextRecord().audio();
            assertEquals(frames, audio.framesIn());
            assertTrue(audio.framesDroppedBacklog() > 0, "the backlog overflowed: " + audio);
            assertEquals(frames, audio.framesOut() + audio.framesDroppedBacklog(), "every frame sent or counted: " + audio);
            assertEquals(audio.framesOut(), platform.frames.size());
            int previous = -1;
            for (java.nio.ByteBuffer echoed : platform.frames) {
                int sequence = echoed.getInt(0);
                assertTrue(sequence > previous, "echoes in order, the dropped ones missing: " + sequence + " after " + previous);
                previous = sequence;
            }
            assertEquals(frames - 1, previous, "the newest frame is never the one dropped");
        }
    }

    @Test
    void secondCdrIsIgnored() throws Exception {
        try (TestServer server = TestServer.start(TestServer.SHORT); PlatformClient platform = server.connect()) {
            platform.incomingCall("two-cdrs");
            platform.expectText("{\"event\":\"answer\"}");
            platform.send("{\"event\":\"hangup\"}");
            platform.cdr("two-cdrs");
            platform.send(Cdrs.json("two-cdrs").replace("ANSWERED", "BUSY"));

            assertEquals(1000, platform.awaitClose().code());
            assertEquals("ANSWERED", server.nextRecord().cdr().disposition());
        }
        try (TestServer server = TestServer.start(TestServer.SHORT)) {
            for (String disposition : new String[] {"ANSWERED", "BUSY"}) {
                try (PlatformClient platform = server.connect()) {
                    platform.incomingCall("reconnected");
                    platform.expectText("{\"event\":\"answer\"}");
                    platform.send("{\"event\":\"hangup\"}");
                    platform.send(Cdrs.json("reconnected").replace("ANSWERED", disposition));
                    assertEquals(1000, platform.awaitClose().code());
                }
            }
            assertEquals("ANSWERED", server.calls().store().find("reconnected").orElseThrow().cdr().disposition(),
                    "a CDR sent again after a reconnect changes nothing");
        }
    }

    @Test
    void cdrForAnotherSessionIdIsStoredAndFlagged() throws Exception {
        try (TestServer server = TestServer.start(TestServer.SHORT); PlatformClient platform = server.connect()) {
            platform.incomingCall("mine");
            platform.expectText("{\"event\":\"answer\"}");
            platform.send("{\"event\":\"hangup\"}");
            platform.cdr("someone-else");

            assertEquals(1000, platform.awaitClose().code());
            CallRecord record = server.nextRecord();
            assertEquals("mine", record.sessionId());
            assertEquals("someone-else", record.cdr().sessionId());
            assertTrue(record.cdrSessionMismatch());
        }
    }
}
