package io.callsocket.sim;

import io.callsocket.EmbeddedServer;
import io.callsocket.Settings;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The simulator for a few seconds against the embedded server: its report adds up. */
class SimulatorRunTest {

    @Test
    void twentyCallsAgainstTheEmbeddedServer() throws Exception {
        Path out = Files.createTempDirectory("sim-results");
        Map<String, String> settings = Map.of("port", "0", "dtmfDelay", "300", "hangupDelay", "1500",
                "dataDir", out.resolve("data").toString());
        try (EmbeddedServer server = EmbeddedServer.start(Settings.from(settings::get))) {
            SimOptions options = SimOptions.parse(new String[] {
                    "--url=ws://localhost:" + server.port() + "/", "--calls=20", "--duration=2", "--ramp=1",
                    "--expectDtmf=300", "--expectHangup=1500", "--dtmf=100:5", "--callerHangup=0.5",
                    "--callLength=800", "--out=" + out, "--label=it"});
            SimResult result = new Simulator(options).run();
            result.write(out);

            assertEquals(0, result.callsFailed(), result.failureReasons().toString());
            assertTrue(result.callsStarted() >= 20, "at least the first 20 calls: " + result.callsStarted());
            assertEquals(result.callsStarted(), result.callsAnswered());
            assertEquals(result.callsStarted(), result.callsCompleted());
            assertTrue(result.framesSent() > 20 * 30, "about 40 frames a call or more: " + result.framesSent());
            assertEquals(result.framesSent(), result.framesEchoed() + result.framesUnechoedAtHangup());
            assertEquals(0, result.framesLost());
            assertEquals(0, result.framesMisrouted());
            assertEquals(result.callsAnswered(), result.answerLatencyMs().get("count").longValue());
            assertEquals(result.framesEchoed(), result.echoRoundTripMs().get("count").longValue());
            assertTrue(result.serverDtmfLatenessMs().get("count") > 0);
            assertTrue(Files.readString(out.resolve("it.json")).contains("\"callsCompleted\":" + result.callsCompleted()));
            assertTrue(Files.readString(out.resolve("it.md")).contains("| calls started / answered / completed / failed | "));
        }
    }
}
