package io.callsocket;

import io.callsocket.InboundEvent.Cdr;
import io.callsocket.InboundEvent.Dtmf;
import io.callsocket.InboundEvent.Hangup;
import io.callsocket.InboundEvent.IncomingCall;
import jakarta.websocket.DecodeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import jakarta.websocket.Decoder;
import jakarta.websocket.Encoder;
import jakarta.websocket.EndpointConfig;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** PROTOCOL.md's events from the platform: what decodes, and for what does not, a message that says why. */
class EventDecoderTest {
    private static final String L128 = "x".repeat(128);
    private static final String L129 = "x".repeat(129);
    private static final String L5000 = "9".repeat(5_000);

    private final EventDecoder decoder = new EventDecoder();

    private static String incoming(String fields) {
        return "{\"event\":\"incoming_call\"," + fields + "}";
    }

    /** A bad frame, and a part of the reason its DecodeException must give (any case). */
    static Stream<Arguments> badInputs() {
        return Stream.of(
                // not JSON, or not one JSON object
                arguments("empty text", "", "empty"),
                arguments("blank text", "  \n ", "empty"),
                arguments("cut-off JSON", "{\"event\":", "EOF"),
                arguments("unclosed object", "{\"event\":\"dtmf\",\"digit\":\"1\"", "EOF"),
                arguments("braces", "{{{", "token"),
                arguments("trailing comma", "{\"event\":\"dtmf\",}", "token"),
                arguments("plain words", "not json", "char"),
                arguments("an array", "[1,2,3]", "object"),
                arguments("JSON null", "null", "object"),
                arguments("a JSON string", "\"dtmf\"", "object"),
                arguments("a JSON number", "42", "object"),
                arguments("JSON true", "true", "object"),
                // the event
                arguments("unknown event", "{\"event\":\"transfer\",\"to\":\"+15550000000\"}", "alias \"transfer\""),
                arguments("event in upper case", "{\"event\":\"DTMF\",\"digit\":\"1\"}", "alias \"DTMF\""),
                arguments("empty event", "{\"event\":\"\"}", "alias \"\""),
                arguments("missing event", "{\"digit\":\"1\"}", "no event field"),
                arguments("empty object", "{}", "no event field"),
                arguments("null event", "{\"event\":null}", "event is not a string"),
                arguments("event a number", "{\"event\":7}", "event is not a string"),
                arguments("event an object", "{\"event\":{\"name\":\"dtmf\"}}", "event is not a string"),
                // incoming_call
                arguments("missing didNumber", incoming("\"sessionId\":\"s\""), "didNumber is missing"),
                arguments("empty didNumber", incoming("\"didNumber\":\"\",\"sessionId\":\"s\""), "didNumber is missing"),
                arguments("null didNumber", incoming("\"didNumber\":null,\"sessionId\":\"s\""), "didNumber is missing"),
                arguments("missing sessionId", incoming("\"didNumber\":\"1\""), "sessionId is missing"),
                arguments("empty sessionId", incoming("\"didNumber\":\"1\",\"sessionId\":\"\""), "sessionId is missing"),
                arguments("129-character sessionId", incoming("\"didNumber\":\"1\",\"sessionId\":\"" + L129 + "\""),
                        "sessionId is longer than 128"),
                arguments("129-character didNumber", incoming("\"didNumber\":\"" + L129 + "\",\"sessionId\":\"s\""),
                        "didNumber is longer than 128"),
                arguments("129-character callerId",
                        incoming("\"callerId\":\"" + L129 + "\",\"didNumber\":\"1\",\"sessionId\":\"s\""),
                        "callerId is longer than 128"),
                arguments("5,000-character callerId",
                        incoming("\"callerId\":\"" + L5000 + "\",\"didNumber\":\"1\",\"sessionId\":\"s\""),
                        "callerId is longer than 128"),
                arguments("escape sequence in callerId",
                        incoming("\"callerId\":\"\\u001b[31m\",\"didNumber\":\"1\",\"sessionId\":\"s\""),
                        "callerId contains control characters"),
                arguments("newline in didNumber", incoming("\"didNumber\":\"1\\n\",\"sessionId\":\"s\""),
                        "didNumber contains control characters"),
                arguments("DEL in sessionId", incoming("\"didNumber\":\"1\",\"sessionId\":\"a\\u007f\""),
                        "sessionId contains control characters"),
                arguments("C1 control in sessionId", incoming("\"didNumber\":\"1\",\"sessionId\":\"a\\u0085\""),
                        "sessionId contains control characters"),
                // dtmf
                arguments("dtmf without digit", "{\"event\":\"dtmf\"}", "digit is missing"),
                arguments("dtmf with empty digit", "{\"event\":\"dtmf\",\"digit\":\"\"}", "digit is missing"),
                arguments("dtmf digit E", "{\"event\":\"dtmf\",\"digit\":\"E\"}", "digit is not one of"),
                arguments("dtmf digit e", "{\"event\":\"dtmf\",\"digit\":\"e\"}", "digit is not one of"),
                arguments("dtmf digit space", "{\"event\":\"dtmf\",\"digit\":\" \"}", "digit is not one of"),
                arguments("dtmf two digits", "{\"event\":\"dtmf\",\"digit\":\"12\"}", "digit is not one of"),
                arguments("dtmf digit of 5,000 characters", "{\"event\":\"dtmf\",\"digit\":\"" + L5000 + "\"}",
                        "digit is longer than 128"),
                arguments("dtmf digit NUL", "{\"event\":\"dtmf\",\"digit\":\"\\u0000\"}", "digit contains control"),
                // cdr
                arguments("cdr without sessionId", "{\"event\":\"cdr\",\"duration\":3}", "sessionId is missing"),
                arguments("cdr with empty sessionId", "{\"event\":\"cdr\",\"sessionId\":\"\"}", "sessionId is missing"),
                arguments("cdr with 5,000-character sessionId", "{\"event\":\"cdr\",\"sessionId\":\"" + L5000 + "\"}",
                        "sessionId is longer than 128"),
                // wrong JSON types: a required field is a non-empty string (PROTOCOL.md)
                arguments("digit an object", "{\"event\":\"dtmf\",\"digit\":{\"d\":1}}", "digit"),
                arguments("digit an array", "{\"event\":\"dtmf\",\"digit\":[\"1\"]}", "digit"),
                arguments("digit a boolean", "{\"event\":\"dtmf\",\"digit\":true}", "digit"),
                arguments("digit a number", "{\"event\":\"dtmf\",\"digit\":1}", "digit"),
                arguments("sessionId an object", incoming("\"didNumber\":\"1\",\"sessionId\":{}"), "sessionId"),
                arguments("sessionId a boolean", incoming("\"didNumber\":\"1\",\"sessionId\":true"), "sessionId"),
                arguments("sessionId a number", incoming("\"didNumber\":\"1\",\"sessionId\":456"), "sessionId"),
                arguments("didNumber an array", incoming("\"didNumber\":[\"1\"],\"sessionId\":\"s\""), "didNumber"),
                arguments("callerId an array", incoming("\"callerId\":[],\"didNumber\":\"1\",\"sessionId\":\"s\""),
                        "callerId"),
                arguments("cdr sessionId an object", "{\"event\":\"cdr\",\"sessionId\":{\"id\":\"s\"}}", "sessionId"));
    }

    /** PROTOCOL.md: never reject a CDR for an unknown value; a value of an odd JSON type is kept as its JSON text. */
    @Test
    void cdrFieldOfAnOddTypeIsKeptAsItsJsonText() throws DecodeException {
        InboundEvent.Cdr cdr = (InboundEvent.Cdr) decoder.decode(
                "{\"event\":\"cdr\",\"sessionId\":\"s\",\"duration\":[1],\"disposition\":{\"a\":true},\"hangupBy\":false}");
        assertEquals("[1]", cdr.duration());
        assertEquals("{\"a\":true}", cdr.disposition());
        assertEquals("false", cdr.hangupBy());
        assertEquals("s", cdr.sessionId());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputGivesADecodeExceptionThatSaysWhy(String what, String text, String why) {
        DecodeException e = assertThrows(DecodeException.class, () -> decoder.decode(text),
                () -> what + " must not decode");
        assertTrue(e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains(why.toLowerCase(Locale.ROOT)),
                what + ": the reason should mention '" + why + "' but is: " + e.getMessage());
        assertEquals(text, e.getText(), "the exception keeps the frame for the log");
    }

    /** Malformed JSON: one object followed by more text is not one JSON object, and a hangup must not slip through. */
    @ParameterizedTest
    @ValueSource(strings = {
            "{\"event\":\"hangup\"}garbage",
            "{\"event\":\"hangup\"} {\"event\":\"dtmf\",\"digit\":\"1\"}",
            "{\"event\":\"hangup\"}}",
            "{\"event\":\"dtmf\",\"digit\":\"1\"},"})
    void textAfterTheObjectIsMalformed(String text) {
        DecodeException e = assertThrows(DecodeException.class, () -> decoder.decode(text),
                () -> "decoded despite the text after the object: " + text);
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
    }

    // ---------------------------------------------------------------------------------------------
    // maxTextMessage: a text over it closes 1009 (PROTOCOL.md), so it is a distinct DecodeException
    // ---------------------------------------------------------------------------------------------

    /** The decoder as the endpoint sets it up: maxTextMessage comes in the endpoint config's user properties. */
    private static EventDecoder decoderWithLimit(int maxTextMessage) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(EventDecoder.MAX_TEXT_MESSAGE, maxTextMessage);
        EventDecoder limited = new EventDecoder();
        limited.init(new EndpointConfig() {
            @Override
            public List<Class<? extends Encoder>> getEncoders() {
                return List.of();
            }

            @Override
            public List<Class<? extends Decoder>> getDecoders() {
                return List.of(EventDecoder.class);
            }

            @Override
            public Map<String, Object> getUserProperties() {
                return properties;
            }
        });
        return limited;
    }

    private static String dtmfPaddedTo(int length) {
        String start = "{\"event\":\"dtmf\",\"digit\":\"1\",\"pad\":\"";
        return start + "p".repeat(length - start.length() - 2) + "\"}";
    }

    @Test
    void textOfExactlyMaxTextMessageBytesDecodes() throws DecodeException {
        String text = dtmfPaddedTo(300);
        assertEquals(300, text.length());

        assertEquals(new Dtmf("1"), decoderWithLimit(300).decode(text));
    }

    @Test
    void textOverMaxTextMessageIsAnOversizeMessage() {
        String text = dtmfPaddedTo(301);

        DecodeException e = assertThrows(EventDecoder.OversizeMessage.class, () -> decoderWithLimit(300).decode(text));
        assertTrue(e.getMessage().contains("maxTextMessage"), e.getMessage());
        assertTrue(e.getText().length() <= 64, "only the start of a huge text is kept for the log");
    }

    @Test
    void maxTextMessageCountsUtf8Bytes() {
        // 120 characters, 3 bytes each in UTF-8: 360 bytes over a limit of 300.
        String text = "{\"event\":\"dtmf\",\"digit\":\"1\",\"pad\":\"" + "\u20ac".repeat(120) + "\"}";

        assertThrows(EventDecoder.OversizeMessage.class, () -> decoderWithLimit(300).decode(text));
    }

    /** A short text over a small limit: still the 1009 case, not an exception of another kind. */
    @Test
    void shortTextOverASmallLimitIsAnOversizeMessage() {
        String text = "{\"event\":\"dtmf\",\"digit\":\"1\"}";
        assertTrue(text.length() < 64);

        assertThrows(EventDecoder.OversizeMessage.class, () -> decoderWithLimit(20).decode(text));
    }

    @Test
    void withoutALimitLargeBadTextIsAnOrdinaryBadMessage() {
        DecodeException e = assertThrows(DecodeException.class,
                () -> decoder.decode("{\"event\":\"dtmf\",\"digit\":\"" + L5000.repeat(40) + "\"}"));
        assertTrue(!(e instanceof EventDecoder.OversizeMessage), "no maxTextMessage was set: " + e);
    }

    @Test
    void willDecodeEverythingSoBadFramesReachOnError() {
        assertTrue(decoder.willDecode("{{{"));
    }

    // ---------------------------------------------------------------------------------------------
    // Good input
    // ---------------------------------------------------------------------------------------------

    @Test
    void incomingCall() throws DecodeException {
        assertEquals(new IncomingCall("+15550001111", "+15559870002", "abc-123"), decoder.decode(
                "{\"event\":\"incoming_call\",\"callerId\":\"+15550001111\",\"didNumber\":\"+15559870002\",\"sessionId\":\"abc-123\"}"));
    }

    @Test
    void fieldsMayComeInAnyOrder() throws DecodeException {
        assertEquals(new IncomingCall("c", "d", "s"),
                decoder.decode("{\"sessionId\":\"s\",\"didNumber\":\"d\",\"callerId\":\"c\",\"event\":\"incoming_call\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "{\"event\":\"incoming_call\",\"didNumber\":\"+15559870002\",\"sessionId\":\"w\"}",
            "{\"event\":\"incoming_call\",\"callerId\":\"\",\"didNumber\":\"+15559870002\",\"sessionId\":\"w\"}",
            "{\"event\":\"incoming_call\",\"callerId\":null,\"didNumber\":\"+15559870002\",\"sessionId\":\"w\"}"})
    void withheldCallerIdIsStillACall(String text) throws DecodeException {
        assertEquals(new IncomingCall("", "+15559870002", "w"), decoder.decode(text));
    }

    @Test
    void fieldsOf128CharactersAreAccepted() throws DecodeException {
        assertEquals(new IncomingCall(L128, L128, L128), decoder.decode(
                incoming("\"callerId\":\"" + L128 + "\",\"didNumber\":\"" + L128 + "\",\"sessionId\":\"" + L128 + "\"")));
    }

    @Test
    void unicodeTextThatIsNotControlIsAccepted() throws DecodeException {
        IncomingCall call = (IncomingCall) decoder.decode(
                incoming("\"callerId\":\"Zo\u00eb \u2603\",\"didNumber\":\"1\",\"sessionId\":\"s\""));
        assertEquals("Zo\u00eb \u2603", call.callerId());
    }

    @Test
    void unknownFieldsAreIgnored() throws DecodeException {
        assertEquals(new Dtmf("1"), decoder.decode(
                "{\"event\":\"dtmf\",\"digit\":\"1\",\"duration\":90,\"extra\":{\"deep\":[1,2,{\"x\":null}]},\"flag\":true}"));
        assertEquals(new Hangup(), decoder.decode("{\"event\":\"hangup\",\"reason\":\"caller left\"}"));
        assertEquals(new IncomingCall("1", "2", "3"),
                decoder.decode(incoming("\"callerId\":\"1\",\"didNumber\":\"2\",\"sessionId\":\"3\",\"source\":\"sip\"")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "#", "A", "B", "C", "D"})
    void everyValidDigit(String digit) throws DecodeException {
        assertEquals(new Dtmf(digit), decoder.decode("{\"event\":\"dtmf\",\"digit\":\"" + digit + "\"}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "b", "c", "d"})
    void lowerCaseLettersAreTakenAsUpperCase(String digit) throws DecodeException {
        Dtmf dtmf = (Dtmf) decoder.decode("{\"event\":\"dtmf\",\"digit\":\"" + digit + "\"}");
        assertEquals(digit.toUpperCase(Locale.ROOT), dtmf.digit());
    }

    @Test
    void hangup() throws DecodeException {
        assertEquals(new Hangup(), decoder.decode("{\"event\":\"hangup\"}"));
    }

    @Test
    void whitespaceAroundTheObjectIsFine() throws DecodeException {
        assertEquals(new Hangup(), decoder.decode("  {\n  \"event\" : \"hangup\"\n}\n"));
    }

    @Test
    void fullCdrKeepsEveryFieldAndItsOriginalJson() throws DecodeException {
        String text = Cdrs.json("abc-123");

        Cdr cdr = (Cdr) decoder.decode(text);

        assertEquals(new Cdr("abc-123", "+15559870002", "2026-11-24T12:00:00Z", "2026-11-24T12:00:00Z",
                "2026-11-24T12:00:12Z", "12", "12", "ANSWERED", "CALLEE", "16", "Normal Clearing", text), cdr);
        assertEquals(text, cdr.json());
    }

    @Test
    void cdrNumbersMayBeNumbersOrStrings() throws DecodeException {
        Cdr numbers = (Cdr) decoder.decode(
                "{\"event\":\"cdr\",\"sessionId\":\"s\",\"duration\":12,\"billableSeconds\":11,\"hangupCauseCode\":16}");
        Cdr strings = (Cdr) decoder.decode(
                "{\"event\":\"cdr\",\"sessionId\":\"s\",\"duration\":\"12\",\"billableSeconds\":\"11\",\"hangupCauseCode\":\"16\"}");

        for (Cdr cdr : new Cdr[] {numbers, strings}) {
            assertEquals("12", cdr.duration());
            assertEquals("11", cdr.billableSeconds());
            assertEquals("16", cdr.hangupCauseCode());
        }
    }

    @Test
    void cdrWithOnlyItsSessionIdIsAccepted() throws DecodeException {
        String text = "{\"event\":\"cdr\",\"sessionId\":\"s\"}";

        Cdr cdr = (Cdr) decoder.decode(text);

        assertEquals("s", cdr.sessionId());
        assertNull(cdr.destination());
        assertNull(cdr.startTime());
        assertNull(cdr.duration());
        assertNull(cdr.disposition());
        assertNull(cdr.hangupCauseCode());
        assertNull(cdr.hangupCauseText());
        assertEquals(text, cdr.json());
    }

    @Test
    void cdrUnknownValuesAreStoredAsTheyCame() throws DecodeException {
        Cdr cdr = (Cdr) decoder.decode("{\"event\":\"cdr\",\"sessionId\":\"s\",\"disposition\":\"VOICEMAIL\","
                + "\"hangupBy\":\"NETWORK\",\"hangupCauseCode\":\"127\",\"hangupCauseText\":\"Interworking\"}");

        assertEquals("VOICEMAIL", cdr.disposition());
        assertEquals("NETWORK", cdr.hangupBy());
        assertEquals("127", cdr.hangupCauseCode());
    }

    @Test
    void cdrJsonIsTheOriginalTextEvenWhenTheFrameCarriesAJsonField() throws DecodeException {
        String text = "{\"event\":\"cdr\",\"sessionId\":\"s\",\"json\":\"forged\",\"source\":\"platform\"}";

        assertEquals(text, ((Cdr) decoder.decode(text)).json());
    }

    @Test
    void eachEventDecodesToItsOwnType() throws DecodeException {
        assertTrue(decoder.decode("{\"event\":\"cdr\",\"sessionId\":\"s\"}") instanceof Cdr);
        assertTrue(decoder.decode("{\"event\":\"dtmf\",\"digit\":\"1\"}") instanceof Dtmf);
        assertTrue(decoder.decode(incoming("\"didNumber\":\"1\",\"sessionId\":\"s\"")) instanceof IncomingCall);
    }
}
