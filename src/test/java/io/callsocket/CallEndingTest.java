package io.callsocket;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Calls that end other than by the server's hangup: the caller hangs up, or the connection drops. */
class CallEndingTest {
    /** Long enough that the server's dtmf and hangup would come during the test if their timers lived on. */
    private static final Map<String, String> TIMERS_PENDING = Map.of("dtmfDelay", "400", "hangupDelay", "600");

    @Test
    void callerHangupMidCallStopsEverythingTheServerWouldSend() throws Exception {
        try (TestServer server = TestServer.start(TIMERS_PENDING); PlatformClient platform = server.connect()) {
            platform.incomingCall("caller-hangs-up");
            platform.expectText("{\"event\":\"answer\"}");
            byte[] frame = PublishedFlowTest.frame(1);
            platform.sendAudio(frame);
            assertArrayEquals(frame, PublishedFlowTest.bytes(platform.nextFrame()));

            platform.send("{\"event\":\"hangup\"}");
            platform.sendAudio(PublishedFlowTest.frame(2));
            // Past the moment the server's dtmf and hangup were due: neither comes, nor any echo.
            assertNull(platform.texts.poll(1000, TimeUnit.MILLISECONDS), "nothing is sent after the caller hung up");
            assertEquals(0, platform.frames.size());

            platform.cdr("caller-hangs-up");
            assertEquals(1000, platform.awaitClose().code());
            CallRecord record = server.nextRecord();
            assertEquals(EndedBy.CALLER, record.endedBy());
            assertEquals("", record.digitsSent());
            assertEquals(1, record.audio().framesOut());
            assertEquals(1, record.audio().framesDroppedOutsideCall());
            assertEquals("caller-hangs-up", record.cdr().sessionId());
            // The record is kept after the call's timers were cancelled, so none is left now.
            assertEquals(0, server.calls().pendingTimers());
        }
    }

    @Test
    void droppedConnectionIsRecordedAsDisconnectAndLeavesNothingBehind() throws Exception {
        try (TestServer server = TestServer.start(TIMERS_PENDING)) {
            PlatformClient platform = server.connect();
            platform.incomingCall("dropped");
            platform.expectText("{\"event\":\"answer\"}");
            platform.drop();

            CallRecord record = server.nextRecord();
            assertEquals("dropped", record.sessionId());
            assertEquals(EndedBy.DISCONNECT, record.endedBy());
            assertNull(record.cdr());
            // The record is kept after the call left the registry and cancelled its timers.
            assertEquals(0, server.calls().liveCalls());
            assertEquals(0, server.calls().openConnections());
            assertEquals(0, server.calls().pendingTimers());
        }
    }

    @Test
    void droppedAfterHangupWithoutCdrKeepsWhoEndedIt() throws Exception {
        try (TestServer server = TestServer.start(TestServer.SHORT)) {
            PlatformClient platform = server.connect();
            platform.incomingCall("no-cdr");
            platform.expectText("{\"event\":\"answer\"}");
            platform.expectText("{\"event\":\"dtmf\",\"digit\":\"1\",\"duration\":200}");
            platform.expectText("{\"event\":\"hangup\"}");
            platform.drop();

            CallRecord record = server.nextRecord();
            assertEquals(EndedBy.SERVER, record.endedBy());
            assertNull(record.cdr());
            assertEquals(0, server.calls().pendingTimers());
        }
    }

    @Test
    void cdrTimeoutClosesTheCallAndKeepsItsRecord() throws Exception {
        Map<String, String> settings = Map.of("dtmfDelay", "100", "hangupDelay", "200", "cdrTimeout", "300");
        try (TestServer server = TestServer.start(settings); PlatformClient platform = server.connect()) {
            platform.incomingCall("cdr-never-comes");
            platform.expectText("{\"event\":\"answer\"}");
            platform.expectText("{\"event\":\"dtmf\",\"digit\":\"1\",\"duration\":200}");
            platform.expectText("{\"event\":\"hangup\"}");

            assertEquals(new PlatformClient.Closed(1000, "no cdr within 300 ms"), platform.awaitClose());
            CallRecord record = server.nextRecord();
            assertEquals(EndedBy.SERVER, record.endedBy());
            assertNull(record.cdr());
        }
    }

    @Test
    void serverShutdownFinishesLiveCallsAndKeepsTheirRecords() throws Exception {
        TestServer server = TestServer.start(TIMERS_PENDING);
        try (PlatformClient platform = server.connect()) {
            platform.incomingCall("shutdown");
            platform.expectText("{\"event\":\"answer\"}");
            server.close();

            assertEquals(new PlatformClient.Closed(1001, "server shutting down"), platform.awaitClose());
            CallRecord record = server.nextRecord();
            assertEquals("shutdown", record.sessionId());
            assertEquals(EndedBy.SERVER, record.endedBy());
        }
    }
}
