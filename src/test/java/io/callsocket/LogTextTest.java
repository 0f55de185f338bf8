package io.callsocket;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Caller-supplied text in a log line: quoted, escaped so it stays one line, cut at LogText.MAX. */
class LogTextTest {

    @Test
    void plainTextIsQuoted() {
        assertEquals("\"call-1\"", LogText.quote("call-1"));
        assertEquals("\"\"", LogText.quote(""));
    }

    @Test
    void nullIsWrittenAsNullWithoutQuotes() {
        assertEquals("null", LogText.quote(null));
    }

    @Test
    void quotesAndBackslashesAreEscaped() {
        assertEquals("\"say \\\"hi\\\"\"", LogText.quote("say \"hi\""));
        assertEquals("\"C:\\\\dir\\\\\"", LogText.quote("C:\\dir\\"));
    }

    @Test
    void lineBreaksAndTabsAreEscaped() {
        String quoted = LogText.quote("a\nb\rc\td");

        assertEquals("\"a\\nb\\rc\\td\"", quoted);
        assertFalse(quoted.contains("\n") || quoted.contains("\r"), "one log line");
    }

    @Test
    void otherControlCharactersAreEscapedAsUnicode() {
        assertEquals("\"\\u0000\\u001b[31m\\u007f\\u0085\"", LogText.quote("\u0000\u001b[31m\u007f\u0085"));
    }

    @Test
    void forgedLogLineStaysOnOneLine() {
        String quoted = LogText.quote("x\nWARN call \"admin\": granted");

        assertEquals("\"x\\nWARN call \\\"admin\\\": granted\"", quoted);
    }

    @Test
    void nonAsciiTextIsKept() {
        assertEquals("\"Zo\u00eb \u2603\"", LogText.quote("Zo\u00eb \u2603"));
    }

    @Test
    void textOfMaxCharactersIsNotCut() {
        String text = "x".repeat(LogText.MAX);

        assertEquals("\"" + text + "\"", LogText.quote(text));
    }

    @Test
    void longerTextIsCutAtMaxWithItsLengthNoted() {
        String text = "y".repeat(LogText.MAX) + "TAIL" + "z".repeat(5_000);

        String quoted = LogText.quote(text);

        assertEquals("\"" + "y".repeat(LogText.MAX) + "\"...(" + text.length() + " chars)", quoted);
        assertFalse(quoted.contains("TAIL"));
    }

    @Test
    void cutCountsInputCharactersNotEscapes() {
        String text = "\n".repeat(LogText.MAX + 1);

        String quoted = LogText.quote(text);

        assertEquals("\"" + "\\n".repeat(LogText.MAX) + "\"...(" + (LogText.MAX + 1) + " chars)", quoted);
        assertTrue(quoted.length() < 2 * LogText.MAX + 30, "bounded: " + quoted.length());
    }
}
