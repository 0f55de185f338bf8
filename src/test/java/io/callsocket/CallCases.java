package io.callsocket;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.provider.Arguments;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The end-to-end cases a platform can see (messages, echo, close codes), written once and run against
 * every target: embedded Tyrus, the WAR on Tomcat, the WAR on Payara Micro. A target is started once
 * for all its cases (containers are slow to start), so every call has its own sessionId. What only the
 * embedded server can show, its stored records, is asserted by the embedded tests next to this class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class CallCases {
    /**
     * One deployment's settings for every case: the published flow with its timings shortened. The
     * first-event timeout is not shortened as far: 100 calls connecting at once on a busy machine
     * were seen to take over a second to deliver their incoming_call.
     */
    public static final Map<String, String> SETTINGS = Map.of(
            "dtmfDelay", "200", "hangupDelay", "2000", "firstEventTimeout", "3000");
    public static final String MOVED_PATH = "/calls";
    static final String ANSWER = "{\"event\":\"answer\"}";
    static final String DTMF = "{\"event\":\"dtmf\",\"digit\":\"1\",\"duration\":200}";
    static final String HANGUP = "{\"event\":\"hangup\"}";
    private static final long HANGUP_DELAY_MS = 2000;

    private final AtomicInteger calls = new AtomicInteger();
    private CallTarget target;

    /** Starts the target with {@link #SETTINGS}; called once before its cases. */
    protected abstract CallTarget start() throws Exception;

    @BeforeAll
    final void startTarget() throws Exception {
        target = start();
    }

    /** After the target stopped: a clean run leaves no SEVERE or ERROR line in its logs. */
    @AfterAll
    final void stopTarget() throws Exception {
        if (target == null) {
            return;
        }
        target.close();
        List<String> problems = target.logProblems();
        assertTrue(problems.isEmpty(), "the server logged:\n" + String.join("\n", problems));
    }

    protected final CallTarget target() {
        return target;
    }

    private PlatformClient connect() {
        return PlatformClient.connect(target.uri());
    }

    /** A sessionId no other case on this target uses. */
    protected final String sessionId(String name) {
        return name + "-" + calls.incrementAndGet();
    }

    @Test
    void publishedFlow() throws Exception {
        try (PlatformClient platform = connect()) {
            publishedFlow(platform, sessionId("flow"), 10);
        }
    }

    @Test
    void callerHangupStopsEverythingTheServerWouldSend() throws Exception {
        String sessionId = sessionId("caller-hangs-up");
        try (PlatformClient platform = connect()) {
            platform.incomingCall(sessionId);
            platform.expectText(ANSWER);
            byte[] frame = PublishedFlowTest.frame(1);
            platform.sendAudio(frame);
            assertArrayEquals(frame, PublishedFlowTest.bytes(platform.nextFrame()));

            platform.send(HANGUP);
            platform.sendAudio(PublishedFlowTest.frame(2));
            // Past the moment the server's hangup was due: it does not come, nor any echo.
            assertNull(platform.texts.poll(HANGUP_DELAY_MS + 300, TimeUnit.MILLISECONDS), "nothing after the caller hung up");
            assertEquals(0, platform.frames.size());
            platform.cdr(sessionId);
            assertEquals(1000, platform.awaitClose().code());
        }
    }

    /** Every bad message of PROTOCOL.md in one call: each is dropped, and the call goes on to its normal end. */
    @Test
    void badMessagesNeverEndTheCall() throws Exception {
        String sessionId = sessionId("bad-input");
        try (PlatformClient platform = connect()) {
            for (String message : messages(BadInputTest.beforeTheCall())) {
                platform.send(message);
            }
            platform.incomingCall(sessionId);
            platform.expectText(ANSWER);
            for (String message : messages(BadInputTest.duringTheCall())) {
                platform.send(message);
            }
            platform.sendAudio(new byte[0]);
            byte[] frame = PublishedFlowTest.frame(3);
            platform.sendAudio(frame);
            assertArrayEquals(frame, PublishedFlowTest.bytes(platform.nextFrame()), "echo goes on; empty frames are ignored");
            finishTheCall(platform, sessionId);
        }
    }

    @Test
    void connectionWithoutIncomingCallIsClosedWith1008() throws Exception {
        try (PlatformClient platform = connect()) {
            platform.send("{\"event\":\"dtmf\",\"digit\":\"5\"}");
            assertEquals(new PlatformClient.Closed(1008, "no incoming_call within 3000 ms"), platform.awaitClose());
        }
    }

    @Test
    void secondLiveCallWithTheSameSessionIdIsRefusedAndTheFirstGoesOn() throws Exception {
        String sessionId = sessionId("shared-id");
        try (PlatformClient first = connect(); PlatformClient second = connect()) {
            first.incomingCall(sessionId);
            first.expectText(ANSWER);
            second.incomingCall(sessionId);
            assertEquals(1008, second.awaitClose().code());

            byte[] frame = PublishedFlowTest.frame(7);
            first.sendAudio(frame);
            assertArrayEquals(frame, PublishedFlowTest.bytes(first.nextFrame()));
            finishTheCall(first, sessionId);
        }
    }

    @Test
    void oversizeFramesCloseWith1009() throws Exception {
        try (PlatformClient platform = connect()) {
            platform.incomingCall(sessionId("too-big"));
            platform.expectText(ANSWER);
            platform.sendAudio(new byte[65536]);
            assertEquals(65536, platform.nextFrame().remaining(), "a frame at the limit is echoed");
            platform.sendAudio(new byte[65537]);
            assertEquals(1009, platform.awaitClose().code());
        }
        try (PlatformClient platform = connect()) {
            platform.incomingCall(sessionId("too-much-text"));
            platform.expectText(ANSWER);
            platform.send("{\"event\":\"dtmf\",\"digit\":\"" + "1".repeat(70_000) + "\"}");
            assertEquals(1009, platform.awaitClose().code());
        }
    }

    /** Many calls at once, each hearing only its own audio, in order; every one ends with the CDR and 1000. */
    @Test
    void concurrentCallsEachGetTheirOwnEcho() throws Exception {
        int callCount = 100;
        int frameCount = 25;
        runConcurrently(callCount, call -> {
            String sessionId = sessionId("concurrent");
            try (PlatformClient platform = connect()) {
                platform.incomingCall(sessionId);
                platform.expectText(ANSWER);
                for (int i = 0; i < frameCount; i++) {
                    platform.sendAudio(numbered(call, i));
                }
                for (int i = 0; i < frameCount; i++) {
                    assertArrayEquals(numbered(call, i), PublishedFlowTest.bytes(platform.nextFrame()), sessionId + " frame " + i);
                }
                platform.expectText(DTMF);
                platform.expectText(HANGUP);
                platform.cdr(sessionId);
                assertEquals(1000, platform.awaitClose().code(), sessionId);
            }
        });
    }

    /**
     * The server's timer sends (answer, dtmf, hangup) land in the middle of a flood of echoes on every
     * call: a container that throws on concurrent sends to one session (Tomcat) would lose a command or
     * log an IllegalStateException, which the log check after the cases catches. Echoes may be dropped
     * under the flood (the backlog is bounded), never reordered or changed.
     */
    @Test
    void timerSendsAmidHeavyEcho() throws Exception {
        int callCount = 20;
        int maxFrames = 3000;
        runConcurrently(callCount, call -> {
            String sessionId = sessionId("flood");
            try (PlatformClient platform = connect()) {
                platform.incomingCall(sessionId);
                List<String> texts = new ArrayList<>();
                int sent = 0;
                while (!texts.contains(HANGUP) && sent < maxFrames) {
                    platform.sendAudio(numbered(call, sent++));
                    platform.texts.drainTo(texts);
                }
                while (!texts.contains(HANGUP)) {
                    texts.add(platform.nextText());
                }
                assertEquals(List.of(ANSWER, DTMF, HANGUP), texts, sessionId);
                platform.cdr(sessionId);
                assertEquals(1000, platform.awaitClose().code(), sessionId);
                int last = -1;
                for (ByteBuffer echoed; (echoed = platform.frames.poll()) != null; ) {
                    int index = (echoed.get(2) & 0xff) << 8 | (echoed.get(3) & 0xff);
                    assertTrue(index > last, sessionId + ": echo " + index + " after " + last);
                    assertArrayEquals(numbered(call, index), PublishedFlowTest.bytes(echoed), sessionId + " frame " + index);
                    last = index;
                }
                assertTrue(last >= 0, sessionId + ": no echo at all in " + sent + " frames");
            }
        });
    }

    /** The path setting of web.xml (or of the embedded launcher) moves the endpoint: it answers there only. */
    @Test
    void endpointAtTheConfiguredPath() throws Exception {
        try (PlatformClient platform = PlatformClient.connect(target.movedUri())) {
            shortCall(platform, sessionId("moved"));
        }
        assertThrows(CompletionException.class, () -> PlatformClient.connect(target.movedRoot()).close(),
                "no endpoint at the root of the moved deployment");
    }

    /** A whole call over wss:// by a platform that trusts what {@code tls} trusts. */
    protected final void secureCall(URI uri, SSLContext tls) throws Exception {
        try (PlatformClient platform = PlatformClient.connect(uri, tls)) {
            shortCall(platform, sessionId("wss"));
        }
    }

    /** The published flow: answer, echo of {@code frames} frames, the caller's digits, dtmf, hangup, CDR, 1000. */
    static void publishedFlow(PlatformClient platform, String sessionId, int frames) throws Exception {
        platform.incomingCall(sessionId);
        platform.expectText(ANSWER);
        for (int i = 0; i < frames; i++) {
            byte[] frame = PublishedFlowTest.frame(i);
            platform.sendAudio(frame);
            assertArrayEquals(frame, PublishedFlowTest.bytes(platform.nextFrame()), "frame " + i);
        }
        platform.send("{\"event\":\"dtmf\",\"digit\":\"1\"}");
        platform.send("{\"event\":\"dtmf\",\"digit\":\"#\"}");
        platform.expectText(DTMF);
        platform.expectText(HANGUP);
        platform.cdr(sessionId);
        assertEquals(new PlatformClient.Closed(1000, "call complete"), platform.awaitClose());
    }

    /** A whole call with one echoed frame: for checking that a way of connecting works at all. */
    static void shortCall(PlatformClient platform, String sessionId) throws Exception {
        platform.incomingCall(sessionId);
        platform.expectText(ANSWER);
        byte[] frame = PublishedFlowTest.frame(9);
        platform.sendAudio(frame);
        assertArrayEquals(frame, PublishedFlowTest.bytes(platform.nextFrame()));
        finishTheCall(platform, sessionId);
    }

    static void finishTheCall(PlatformClient platform, String sessionId) throws Exception {
        platform.expectText(DTMF);
        platform.expectText(HANGUP);
        platform.cdr(sessionId);
        assertEquals(1000, platform.awaitClose().code());
    }

    /** A frame naming its call (bytes 0-1) and its place (bytes 2-3). */
    static byte[] numbered(int call, int index) {
        byte[] frame = PublishedFlowTest.frame(call * 31 + index);
        frame[0] = (byte) (call >> 8);
        frame[1] = (byte) call;
        frame[2] = (byte) (index >> 8);
        frame[3] = (byte) index;
        return frame;
    }

    interface PlatformCall {
        void play(int call) throws Exception;
    }

    static void runConcurrently(int callCount, PlatformCall play) throws Exception {
        ExecutorService platforms = Executors.newFixedThreadPool(callCount);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < callCount; i++) {
                int call = i;
                running.add(platforms.submit(() -> {
                    play.play(call);
                    return null;
                }));
            }
            for (Future<?> call : running) {
                call.get(60, TimeUnit.SECONDS);
            }
        } finally {
            platforms.shutdownNow();
        }
    }

    private static List<String> messages(Stream<Arguments> cases) {
        return cases.map(a -> (String) a.get()[1]).toList();
    }
}
