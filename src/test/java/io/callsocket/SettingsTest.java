package io.callsocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every setting with its default and its check; a bad value names the setting. */
class SettingsTest {

    private static Settings from(String... namesAndValues) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            values.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return Settings.from(values::get);
    }

    /** The value of a setting as the DEFINITIONS table writes it: durations in ms. */
    private static String asWritten(Settings settings, String name) throws ReflectiveOperationException {
        Object value = Settings.class.getMethod(name).invoke(settings);
        return value instanceof Duration d ? Long.toString(d.toMillis()) : String.valueOf(value);
    }

    @Test
    void everyDefinitionIsASettingAndEverySettingHasADefinition() {
        List<String> defined = Settings.DEFINITIONS.stream().map(Settings.Definition::name).sorted()
                .collect(Collectors.toList());
        List<String> components = Arrays.stream(Settings.class.getRecordComponents())
                .map(RecordComponent::getName).sorted().collect(Collectors.toList());

        assertEquals(components, defined);
        assertEquals(defined.size(), defined.stream().distinct().count(), "names are unique");
        Settings.DEFINITIONS.forEach(d -> assertFalse(d.meaning().isBlank(), d.name() + " has a meaning"));
    }

    @Test
    void defaultsEqualTheDefinitionsTable() throws ReflectiveOperationException {
        Settings defaults = Settings.defaults();

        for (Settings.Definition d : Settings.DEFINITIONS) {
            assertEquals(d.defaultValue(), asWritten(defaults, d.name()), d.name());
        }
        assertEquals(defaults, from(), "an empty source gives the defaults");
    }

    @Test
    void defaultsAreTheFiguresOfProtocolMd() {
        Settings s = Settings.defaults();

        assertEquals(4143, s.port());
        assertEquals("/", s.path());
        assertEquals(Duration.ZERO, s.answerDelay());
        assertEquals(Duration.ofMillis(2000), s.dtmfDelay());
        assertEquals("1", s.dtmfDigit());
        assertEquals(200, s.dtmfDuration());
        assertEquals(Duration.ofMillis(12000), s.hangupDelay());
        assertTrue(s.echo());
        assertEquals(Duration.ofSeconds(30), s.firstEventTimeout());
        assertEquals(Duration.ofSeconds(30), s.cdrTimeout());
        assertEquals(64 * 1024, s.maxBinaryMessage());
        assertEquals("L16", s.audioFormat());
        assertEquals(8000, s.sampleRate());
    }

    @Test
    void givenValuesAreRead() {
        Settings s = from("port", "0", "path", "/calls", "answerDelay", "250", "dtmfDigit", "#", "dtmfDuration", "1000",
                "echo", "false", "audioFormat", "PCMA", "sampleRate", "16000", "maxBinaryMessage", "1");

        assertEquals(0, s.port());
        assertEquals("/calls", s.path());
        assertEquals(Duration.ofMillis(250), s.answerDelay());
        assertEquals("#", s.dtmfDigit());
        assertEquals(1000, s.dtmfDuration());
        assertFalse(s.echo());
        assertEquals("PCMA", s.audioFormat());
        assertEquals(16000, s.sampleRate());
        assertEquals(1, s.maxBinaryMessage());
    }

    @Test
    void valuesAreTrimmedAndBlankMeansTheDefault() {
        Settings s = from("dtmfDelay", " 300 ", "hangupDelay", "   ");

        assertEquals(Duration.ofMillis(300), s.dtmfDelay());
        assertEquals(Duration.ofMillis(12000), s.hangupDelay());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            port                | 70000
            port                | -1
            port                | 99999999999999999999
            port                | http
            path                | x
            path                | calls/
            answerDelay         | -1
            answerDelay         | 1.5
            answerDelay         | 1s
            dtmfDelay           | -5
            hangupDelay         | soon
            dtmfDigit           | A
            dtmfDigit           | 12
            dtmfDigit           | x
            dtmfDuration        | 0
            dtmfDuration        | 1001
            echo                | maybe
            echo                | yes
            firstEventTimeout   | 0
            cdrTimeout          | 0
            maxBinaryMessage    | 0
            maxTextMessage      | 0
            outboundAudioFrames | 0
            audioFormat         | MP3
            audioFormat         | l16
            sampleRate          | 44100
            sampleRate          | 8k
            """)
    void badValueThrowsAndNamesTheSetting(String name, String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> from(name, value),
                () -> name + "=" + value + " must be refused");
        assertTrue(e.getMessage().contains(name), "names the setting: " + e.getMessage());
        assertTrue(e.getMessage().contains(value), "shows the value: " + e.getMessage());
    }

    @Test
    void badValueMessageDoesNotNameAnotherSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> from("dtmfDuration", "5000"));

        assertTrue(e.getMessage().startsWith("setting dtmfDuration="), e.getMessage());
    }

    // ---------------------------------------------------------------------------------------------
    // Command line
    // ---------------------------------------------------------------------------------------------

    @Test
    void commandLineFlagsAreRead() {
        Settings s = Settings.fromCommandLine(new String[] {"--port=0", "--dtmfDigit=*", "--answerDelay=40", "--path=/a=b"});

        assertEquals(0, s.port());
        assertEquals("*", s.dtmfDigit());
        assertEquals(Duration.ofMillis(40), s.answerDelay());
        assertEquals("/a=b", s.path(), "the value is everything after the first =");
        assertEquals(Duration.ofMillis(2000), s.dtmfDelay(), "the rest keep their defaults");
    }

    @Test
    void noFlagsGiveTheDefaults() {
        assertEquals(Settings.defaults(), Settings.fromCommandLine(new String[0]));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--colour=red", "--Port=1", "--=1", "---port=1"})
    void unknownNamesAreRefused(String arg) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Settings.fromCommandLine(new String[] {arg}));
        assertTrue(e.getMessage().contains("unknown setting"), e.getMessage());
        assertTrue(e.getMessage().contains(arg.substring(2, arg.indexOf('='))), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"port=1", "-port=1", "--port", "--", "4143", ""})
    void malformedArgumentsAreRefused(String arg) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Settings.fromCommandLine(new String[] {"--path=/", arg}));
        assertTrue(e.getMessage().contains("--name=value"), e.getMessage());
    }

    @Test
    void badFlagValueNamesTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Settings.fromCommandLine(new String[] {"--sampleRate=44100"}));
        assertTrue(e.getMessage().contains("sampleRate"), e.getMessage());
    }

    @Test
    void flagsWinOverSystemProperties() {
        String dtmfDelay = Settings.SYSTEM_PROPERTY_PREFIX + "dtmfDelay";
        String hangupDelay = Settings.SYSTEM_PROPERTY_PREFIX + "hangupDelay";
        try {
            System.setProperty(dtmfDelay, "111");
            System.setProperty(hangupDelay, "333");

            Settings s = Settings.fromCommandLine(new String[] {"--dtmfDelay=222"});

            assertEquals(Duration.ofMillis(222), s.dtmfDelay(), "the flag wins");
            assertEquals(Duration.ofMillis(333), s.hangupDelay(), "the property is read when no flag names it");
        } finally {
            System.clearProperty(dtmfDelay);
            System.clearProperty(hangupDelay);
        }
    }

    @Test
    void badSystemPropertyNamesTheSetting() {
        String port = Settings.SYSTEM_PROPERTY_PREFIX + "port";
        try {
            System.setProperty(port, "seventy");

            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Settings.fromCommandLine(new String[0]));
            assertTrue(e.getMessage().contains("port"), e.getMessage());
            assertEquals(0, Settings.fromCommandLine(new String[] {"--port=0"}).port(), "a flag overrides a bad property");
        } finally {
            System.clearProperty(port);
        }
    }
}
