package io.callsocket.sim;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The simulator's pure parts: CDRs, options, audio frames, G.711, WAV reading, percentiles. */
class SimulatorPartsTest {
    private static final Instant START = Instant.parse("2026-11-24T12:00:00Z");

    @Test
    void answeredCallHungUpByTheServer() {
        Map<String, Object> cdr = Cdr.of("s1", "+15559870002", START, START.plusMillis(5_200), START.plusMillis(17_300), false);
        assertEquals("cdr", cdr.get("event"));
        assertEquals("s1", cdr.get("sessionId"));
        assertEquals("2026-11-24T12:00:05.200Z", cdr.get("answerTime"));
        assertEquals(18L, cdr.get("duration"), "17.3 s bills as 18");
        assertEquals(13L, cdr.get("billableSeconds"), "12.1 s from answer bills as 13");
        assertEquals("ANSWERED", cdr.get("disposition"));
        assertEquals("CALLEE", cdr.get("hangupBy"));
        assertEquals("16", cdr.get("hangupCauseCode"));
        assertEquals("Normal Clearing", cdr.get("hangupCauseText"));
    }

    @Test
    void unansweredCallCancelledByTheCaller() {
        Map<String, Object> cdr = Cdr.of("s2", "+15559870002", START, null, START.plusSeconds(3), true);
        assertEquals("CANCEL", cdr.get("disposition"));
        assertEquals("CALLER", cdr.get("hangupBy"));
        assertEquals(0L, cdr.get("billableSeconds"));
        assertEquals("", cdr.get("answerTime"));
        assertEquals(3L, cdr.get("duration"));
    }

    @Test
    void optionsParseAndRefuseNonsense() {
        SimOptions options = SimOptions.parse(new String[] {"--calls=7", "--dtmf=500:5,1500:#", "--format=PCMU"});
        assertEquals(7, options.calls());
        assertEquals(List.of(new SimOptions.DtmfPress(500, "5"), new SimOptions.DtmfPress(1500, "#")), options.dtmf());
        assertEquals(AudioSource.Format.PCMU, options.format());
        assertEquals(List.of(), SimOptions.parse(new String[] {"--dtmf="}).dtmf());
        assertThrows(IllegalArgumentException.class, () -> SimOptions.parse(new String[] {"--nope=1"}));
        assertThrows(IllegalArgumentException.class, () -> SimOptions.parse(new String[] {"--dtmf=500:E"}));
        assertThrows(IllegalArgumentException.class, () -> SimOptions.parse(new String[] {"--sampleRate=44100"}));
        assertThrows(IllegalArgumentException.class, () -> SimOptions.parse(new String[] {"--callerHangup=2"}));
        assertThrows(IllegalArgumentException.class, () -> SimOptions.parse(new String[] {"--calls=0"}));
    }

    @Test
    void frameSizeFollowsFormatAndRate() {
        assertEquals(320, AudioSource.tone(AudioSource.Format.L16, 8000).frame(0).length);
        assertEquals(160, AudioSource.tone(AudioSource.Format.PCMU, 8000).frame(0).length);
        assertEquals(160, AudioSource.tone(AudioSource.Format.PCMA, 8000).frame(0).length);
        assertEquals(640, AudioSource.tone(AudioSource.Format.L16, 16000).frame(0).length);
        assertEquals(50, AudioSource.tone(AudioSource.Format.L16, 8000).frameCount(), "one second of tone");
    }

    @Test
    void g711MatchesTheReferenceValues() {
        assertEquals((byte) 0xFF, AudioSource.G711.ulaw((short) 0));
        assertEquals((byte) 0x80, AudioSource.G711.ulaw(Short.MAX_VALUE));
        assertEquals((byte) 0x00, AudioSource.G711.ulaw(Short.MIN_VALUE));
        assertEquals((byte) 0xD5, AudioSource.G711.alaw((short) 0));
        assertEquals((byte) 0xAA, AudioSource.G711.alaw(Short.MAX_VALUE));
        assertEquals((byte) 0x2A, AudioSource.G711.alaw(Short.MIN_VALUE));
    }

    @Test
    void wavFramesAreItsSamplesInOrder() throws IOException {
        short[] samples = new short[400];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (short) (i * 3 - 600);
        }
        java.nio.file.Path file = java.nio.file.Files.createTempFile("sim", ".wav");
        try {
            java.nio.file.Files.write(file, wav(samples, 8000, 1));
            AudioSource audio = AudioSource.wav(file, AudioSource.Format.L16, 8000);
            assertEquals(2, audio.frameCount(), "400 samples make two whole 160-sample frames");
            ByteBuffer second = ByteBuffer.wrap(audio.frame(1)).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 160; i++) {
                assertEquals(samples[160 + i], second.getShort());
            }
            assertArrayEquals(audio.frame(0), audio.frame(2), "the audio loops");

            java.nio.file.Files.write(file, wav(samples, 8000, 2));
            IOException stereo = assertThrows(IOException.class, () -> AudioSource.wav(file, AudioSource.Format.L16, 8000));
            assertTrue(stereo.getMessage().contains("2 channel"), stereo.getMessage());
            assertThrows(IOException.class, () -> AudioSource.wav(file, AudioSource.Format.L16, 16000));
            java.nio.file.Files.write(file, new byte[] {1, 2, 3});
            assertThrows(IOException.class, () -> AudioSource.wav(file, AudioSource.Format.L16, 8000));
        } finally {
            java.nio.file.Files.delete(file);
        }
    }

    @Test
    void percentilesAreInMilliseconds() {
        Histogram histogram = new Histogram(60_000_000L, 3);
        for (int i = 1; i <= 1000; i++) {
            Stats.record(histogram, i * 10L); // 0.01 .. 10 ms
        }
        Map<String, Double> p = Simulator.percentiles(histogram);
        assertEquals(1000.0, p.get("count"));
        assertEquals(5.0, p.get("p50"), 0.01);
        assertEquals(9.9, p.get("p99"), 0.01);
        assertEquals(10.0, p.get("max"), 0.01);
    }

    private static byte[] wav(short[] samples, int rate, int channels) {
        ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        header.put("RIFF".getBytes()).putInt(36 + samples.length * 2).put("WAVE".getBytes())
                .put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) channels).putInt(rate)
                .putInt(rate * 2 * channels).putShort((short) (2 * channels)).putShort((short) 16)
                .put("data".getBytes()).putInt(samples.length * 2);
        ByteBuffer data = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short sample : samples) {
            data.putShort(sample);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header.array());
        out.writeBytes(data.array());
        return out.toByteArray();
    }
}
