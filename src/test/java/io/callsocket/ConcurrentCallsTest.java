package io.callsocket;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Many calls at once: each completes the published flow and hears only its own audio. */
class ConcurrentCallsTest {
    private static final int CALLS = 200;
    private static final int FRAMES = 25;

    @Test
    void twoHundredCallsEachGetTheirOwnEcho() throws Exception {
        // Hangup well after every call's frames are echoed, so the check of the echo cannot race it.
        Map<String, String> settings = Map.of("dtmfDelay", "200", "hangupDelay", "6000");
        ExecutorService platforms = Executors.newFixedThreadPool(CALLS);
        try (TestServer server = TestServer.start(settings)) {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < CALLS; i++) {
                int call = i;
                calls.add(platforms.submit(() -> {
                    playCall(server, call);
                    return null;
                }));
            }
            for (Future<?> call : calls) {
                call.get(60, TimeUnit.SECONDS);
            }
            Set<String> recorded = new HashSet<>();
            for (int i = 0; i < CALLS; i++) {
                CallRecord record = server.nextRecord();
                assertEquals(FRAMES, record.audio().framesOut(), record.sessionId());
                assertEquals(0, record.protocolErrors(), record.sessionId());
                recorded.add(record.cdr().sessionId());
            }
            assertEquals(CALLS, recorded.size());
        } finally {
            platforms.shutdownNow();
        }
    }

    private static void playCall(TestServer server, int call) throws Exception {
        String sessionId = "concurrent-" + call;
        try (PlatformClient platform = server.connect()) {
            platform.incomingCall(sessionId);
            platform.expectText("{\"event\":\"answer\"}");
            for (int i = 0; i < FRAMES; i++) {
                platform.sendAudio(frame(call, i));
            }
            for (int i = 0; i < FRAMES; i++) {
                ByteBuffer echoed = platform.nextFrame();
                assertArrayEquals(frame(call, i), PublishedFlowTest.bytes(echoed), sessionId + " frame " + i);
            }
            platform.expectText("{\"event\":\"dtmf\",\"digit\":\"1\",\"duration\":200}");
            platform.expectText("{\"event\":\"hangup\"}");
            platform.cdr(sessionId);
            assertEquals(1000, platform.awaitClose().code(), sessionId);
        }
    }

    /** A frame that names its call and its place: the call number in the first two bytes, the frame in the next. */
    private static byte[] frame(int call, int index) {
        byte[] frame = PublishedFlowTest.frame(call * FRAMES + index);
        frame[0] = (byte) (call >> 8);
        frame[1] = (byte) call;
        frame[2] = (byte) index;
        return frame;
    }
}
