package io.callsocket;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** PROTOCOL.md: a bad message is dropped and counted, and the call goes on to its normal end. */
class BadInputTest {
    private static final String LONG = "9".repeat(5_000);

    static Stream<Arguments> duringTheCall() {
        return Stream.of(
                arguments("malformed JSON", "{\"event\":"),
                arguments("empty text", ""),
                arguments("not an object", "[1,2,3]"),
                arguments("a JSON string", "\"dtmf\""),
                arguments("unknown event", "{\"event\":\"transfer\",\"to\":\"+15550000000\"}"),
                arguments("no event", "{\"digit\":\"1\"}"),
                arguments("event not a string", "{\"event\":7}"),
                arguments("dtmf without digit", "{\"event\":\"dtmf\"}"),
                arguments("dtmf with empty digit", "{\"event\":\"dtmf\",\"digit\":\"\"}"),
                arguments("dtmf digit E", "{\"event\":\"dtmf\",\"digit\":\"E\"}"),
                arguments("dtmf two digits", "{\"event\":\"dtmf\",\"digit\":\"12\"}"),
                arguments("dtmf digit an object", "{\"event\":\"dtmf\",\"digit\":{\"d\":1}}"),
                arguments("dtmf digit of 5,000 characters", "{\"event\":\"dtmf\",\"digit\":\"" + LONG + "\"}"),
                arguments("dtmf digit with a control character", "{\"event\":\"dtmf\",\"digit\":\"1\\u0000\"}"),
                arguments("incoming_call without sessionId", "{\"event\":\"incoming_call\",\"didNumber\":\"1\"}"),
                arguments("incoming_call with 5,000-character callerId",
                        "{\"event\":\"incoming_call\",\"callerId\":\"" + LONG + "\",\"didNumber\":\"1\",\"sessionId\":\"x\"}"),
                arguments("incoming_call with a control character",
                        "{\"event\":\"incoming_call\",\"callerId\":\"\\u001b[31m\",\"didNumber\":\"1\",\"sessionId\":\"x\"}"),
                arguments("second incoming_call", "{\"event\":\"incoming_call\",\"didNumber\":\"1\",\"sessionId\":\"other\"}"),
                arguments("cdr without sessionId", "{\"event\":\"cdr\",\"duration\":3}"),
                arguments("cdr with 5,000-character sessionId", "{\"event\":\"cdr\",\"sessionId\":\"" + LONG + "\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("duringTheCall")
    void badMessageDuringTheCall(String what, String message) throws Exception {
        try (TestServer server = TestServer.start(TestServer.SHORT); PlatformClient platform = server.connect()) {
            platform.incomingCall("bad-input");
            platform.expectText("{\"event\":\"answer\"}");
            platform.send(message);
            finishTheCall(platform);
            CallRecord record = server.nextRecord();
            assertEquals(1, record.protocolErrors(), what);
            assertEquals(EndedBy.SERVER, record.endedBy());
            assertEquals("bad-input", record.cdr().sessionId());
        }
    }

    static Stream<Arguments> beforeTheCall() {
        return Stream.of(
                arguments("dtmf before incoming_call", "{\"event\":\"dtmf\",\"digit\":\"1\"}"),
                arguments("hangup before incoming_call", "{\"event\":\"hangup\"}"),
                arguments("cdr before incoming_call", Cdrs.json("bad-input")),
                arguments("incoming_call without didNumber", "{\"event\":\"incoming_call\",\"sessionId\":\"bad-input\"}"),
                arguments("incoming_call with empty sessionId",
                        "{\"event\":\"incoming_call\",\"didNumber\":\"1\",\"sessionId\":\"\"}"),
                arguments("malformed JSON", "{{{"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("beforeTheCall")
    void badMessageBeforeTheCall(String what, String message) throws Exception {
        try (TestServer server = TestServer.start(TestServer.SHORT); PlatformClient platform = server.connect()) {
            platform.send(message);
            platform.incomingCall("bad-input");
            platform.expectText("{\"event\":\"answer\"}");
            finishTheCall(platform);
            assertEquals(1, server.nextRecord().protocolErrors(), what);
        }
    }

    @Test
    void dtmfBeforeAnswerAndEventsAfterTheEndAreDroppedToo() throws Exception {
        try (TestServer server = TestServer.start(java.util.Map.of("answerDelay", "300", "dtmfDelay", "100", "hangupDelay", "200"));
             PlatformClient platform = server.connect()) {
            platform.incomingCall("bad-input");
            platform.send("{\"event\":\"dtmf\",\"digit\":\"3\"}");
            platform.sendAudio(PublishedFlowTest.frame(0));
            platform.expectText("{\"event\":\"answer\"}");
            platform.expectText("{\"event\":\"dtmf\",\"digit\":\"1\",\"duration\":200}");
            platform.expectText("{\"event\":\"hangup\"}");
            platform.send("{\"event\":\"dtmf\",\"digit\":\"4\"}");
            platform.send("{\"event\":\"hangup\"}");
            platform.cdr("bad-input");
            assertEquals(1000, platform.awaitClose().code());

            CallRecord record = server.nextRecord();
            assertEquals(3, record.protocolErrors());
            assertEquals("", record.digitsReceived());
            assertEquals(1, record.audio().framesDroppedOutsideCall(), "audio before answer is not echoed");
            assertEquals(0, platform.frames.size());
        }
    }

    @Test
    void emptyAudioFramesAreIgnored() throws Exception {
        try (TestServer server = TestServer.start(TestServer.SHORT); PlatformClient platform = server.connect()) {
            platform.incomingCall("bad-input");
            platform.expectText("{\"event\":\"answer\"}");
            platform.sendAudio(new byte[0]);
            byte[] frame = PublishedFlowTest.frame(3);
            platform.sendAudio(frame);
            assertArrayEquals(frame, PublishedFlowTest.bytes(platform.nextFrame()), "the next frame is the real one");
            finishTheCall(platform);
            CallRecord record = server.nextRecord();
            assertEquals(1, record.audio().framesIn());
            assertEquals(0, record.protocolErrors());
        }
    }

    private static void finishTheCall(PlatformClient platform) throws Exception {
        platform.expectText("{\"event\":\"dtmf\",\"digit\":\"1\",\"duration\":200}");
        platform.expectText("{\"event\":\"hangup\"}");
        platform.cdr("bad-input");
        assertEquals(1000, platform.awaitClose().code());
    }
}
