package io.callsocket;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's settings table is the one in {@link Settings}: a setting added or changed there shows here. */
class ReadmeSettingsTest {

    @Test
    void readmeListsEverySettingWithItsDefaultAndMeaning() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        for (Settings.Definition d : Settings.DEFINITIONS) {
            String row = "| `" + d.name() + "` | `" + d.defaultValue() + "` | " + d.meaning() + " |";
            assertTrue(readme.contains(row), "README lacks the row: " + row);
        }
    }
}
