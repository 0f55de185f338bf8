package io.callsocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PROTOCOL.md's commands to the platform, byte for byte, and the limits of the server's dtmf. */
class CommandEncoderTest {
    private final CommandEncoder encoder = new CommandEncoder();

    @Test
    void answer() {
        assertEquals("{\"event\":\"answer\"}", encoder.encode(new Command.Answer()));
    }

    @Test
    void dtmf() {
        assertEquals("{\"event\":\"dtmf\",\"digit\":\"1\",\"duration\":200}", encoder.encode(new Command.Dtmf("1", 200)));
        assertEquals("{\"event\":\"dtmf\",\"digit\":\"#\",\"duration\":1000}", encoder.encode(new Command.Dtmf("#", 1000)));
    }

    @Test
    void hangup() {
        assertEquals("{\"event\":\"hangup\"}", encoder.encode(new Command.Hangup()));
    }

    @Test
    void interrupt() {
        assertEquals("{\"event\":\"interrupt\"}", encoder.encode(new Command.Interrupt()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "#"})
    void everyDigitTheApiAllows(String digit) {
        assertEquals(digit, new Command.Dtmf(digit, 100).digit());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 1000})
    void durationLimitsAreAllowed(int duration) {
        assertEquals(duration, new Command.Dtmf("5", duration).duration());
    }

    /** The published API lets the server send 0-9 * # only: A-D are the caller's. */
    @ParameterizedTest
    @ValueSource(strings = {"", "A", "a", "D", "E", "12", " ", "\u0661"})
    void otherDigitsAreRefused(String digit) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Command.Dtmf(digit, 200));
        assertTrue(e.getMessage().contains("digit"), e.getMessage());
    }

    @Test
    void nullDigitIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Command.Dtmf(null, 200));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 1001, Integer.MAX_VALUE, Integer.MIN_VALUE})
    void durationsOutside1To1000AreRefused(int duration) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Command.Dtmf("1", duration));
        assertTrue(e.getMessage().contains("duration"), e.getMessage());
    }
}
