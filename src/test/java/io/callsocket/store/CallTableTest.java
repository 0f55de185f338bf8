package io.callsocket.store;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** How CDR values become typed columns: what parses, and what is left to the raw JSON. */
class CallTableTest {

    @Test
    void wholeNumbersAsNumbersOrStrings() {
        assertEquals(12, CallTable.parseInteger("12"));
        assertEquals(12, CallTable.parseInteger(" 12 "));
        assertEquals(12, CallTable.parseInteger("12.0"));
        assertEquals(0, CallTable.parseInteger("0"));
        assertNull(CallTable.parseInteger("12.5"));
        assertNull(CallTable.parseInteger("twelve"));
        assertNull(CallTable.parseInteger("99999999999"));
        assertNull(CallTable.parseInteger(""));
        assertNull(CallTable.parseInteger(null));
    }

    @Test
    void isoTimesWithAnOffset() {
        assertEquals(Instant.parse("2026-11-24T12:00:00Z"), CallTable.parseTime("2026-11-24T12:00:00Z"));
        assertEquals(Instant.parse("2026-11-24T12:00:00Z"), CallTable.parseTime("2026-11-24T13:00:00+01:00"));
        assertEquals(Instant.parse("2026-11-24T12:00:00.250Z"), CallTable.parseTime("2026-11-24T12:00:00.250Z"));
        assertNull(CallTable.parseTime("2026-11-24 12:00:00"));
        assertNull(CallTable.parseTime("yesterday"));
        assertNull(CallTable.parseTime(null));
    }

    @Test
    void textIsCutToItsColumnWithoutNulOrHalfAPair() {
        assertEquals("abc", CallTable.fit("abc", 3));
        assertEquals("ab", CallTable.fit("abc", 2));
        assertEquals("a\uFFFDb", CallTable.fit("a\0b", 10));
        assertEquals("a", CallTable.fit("a\ud83d\ude00", 2));
        assertNull(CallTable.fit(null, 5));
    }

    @Test
    void theSqlHasAParameterForEveryColumn() {
        int columns = CallTable.COLUMNS.split(",").length;
        assertEquals(columns + 3, CallTable.INSERT.chars().filter(c -> c == '?').count());
        assertEquals(columns + 2, CallTable.UPDATE.chars().filter(c -> c == '?').count());
    }
}
