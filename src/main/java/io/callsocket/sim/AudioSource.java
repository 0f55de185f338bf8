package io.callsocket.sim;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The caller's audio, cut into 20 ms frames: from a WAV file (16-bit PCM, mono) or a generated
 * tone, encoded as L16 (little-endian), PCMU or PCMA at 8 or 16 kHz. The frame size follows.
 */
public final class AudioSource {
    public enum Format { L16, PCMU, PCMA }

    private final byte[][] frames;

    private AudioSource(byte[][] frames) {
        this.frames = frames;
    }

    public static int frameBytes(Format format, int sampleRate) {
        int samples = sampleRate / 50;
        return format == Format.L16 ? samples * 2 : samples;
    }

    /** One second of a 440 Hz tone, looped. */
    public static AudioSource tone(Format format, int sampleRate) {
        short[] samples = new short[sampleRate];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / sampleRate));
        }
        return of(samples, format, sampleRate);
    }

    public static AudioSource wav(Path file, Format format, int sampleRate) throws IOException {
        return of(Wav.read(Files.readAllBytes(file), sampleRate), format, sampleRate);
    }

    static AudioSource of(short[] samples, Format format, int sampleRate) {
        int perFrame = sampleRate / 50;
        int count = Math.max(1, samples.length / perFrame);
        byte[][] frames = new byte[count][];
        for (int f = 0; f < count; f++) {
            ByteBuffer frame = ByteBuffer.allocate(frameBytes(format, sampleRate)).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < perFrame; i++) {
                int index = f * perFrame + i;
                short sample = index < samples.length ? samples[index] : 0;
                switch (format) {
                    case L16 -> frame.putShort(sample);
                    case PCMU -> frame.put(G711.ulaw(sample));
                    case PCMA -> frame.put(G711.alaw(sample));
                }
            }
            frames[f] = frame.array();
        }
        return new AudioSource(frames);
    }

    /** The n-th frame of the stream (the audio loops); a fresh copy the caller may change. */
    public byte[] frame(long n) {
        return frames[(int) (n % frames.length)].clone();
    }

    public int frameCount() {
        return frames.length;
    }

    /** Reads 16-bit PCM mono WAV data at the expected rate. */
    static final class Wav {
        private Wav() {
        }

        static short[] read(byte[] file, int expectedRate) throws IOException {
            ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
            if (file.length < 12 || in.getInt(0) != 0x46464952 || in.getInt(8) != 0x45564157) {
                throw new IOException("not a RIFF/WAVE file");
            }
            int position = 12;
            Integer channels = null;
            Integer rate = null;
            Integer bits = null;
            while (position + 8 <= file.length) {
                int id = in.getInt(position);
                int size = in.getInt(position + 4);
                int body = position + 8;
                if (size < 0 || body + size > file.length) {
                    size = file.length - body;
                }
                if (id == 0x20746d66) { // "fmt "
                    if (in.getShort(body) != 1) {
                        throw new IOException("WAV is not PCM (format " + in.getShort(body) + ")");
                    }
                    channels = (int) in.getShort(body + 2);
                    rate = in.getInt(body + 4);
                    bits = (int) in.getShort(body + 14);
                } else if (id == 0x61746164) { // "data"
                    if (channels == null) {
                        throw new IOException("WAV data before its fmt chunk");
                    }
                    if (channels != 1 || bits != 16 || rate != expectedRate) {
                        throw new IOException("WAV must be 16-bit mono at " + expectedRate + " Hz, is "
                                + bits + "-bit, " + channels + " channel(s), " + rate + " Hz");
                    }
                    short[] samples = new short[size / 2];
                    for (int i = 0; i < samples.length; i++) {
                        samples[i] = in.getShort(body + 2 * i);
                    }
                    return samples;
                }
                position = body + size + (size & 1);
            }
            throw new IOException("WAV has no data chunk");
        }
    }

    /** ITU-T G.711 encoders, after the public-domain Sun reference (g711.c). */
    static final class G711 {
        private static final int[] ULAW_SEGMENT_END = {0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF};
        private static final int[] ALAW_SEGMENT_END = {0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF};

        private G711() {
        }

        static byte ulaw(short pcm) {
            int value = pcm >> 2;
            int mask = 0xFF;
            if (value < 0) {
                value = -value;
                mask = 0x7F;
            }
            value = Math.min(value, 8159) + (0x84 >> 2);
            int segment = segment(value, ULAW_SEGMENT_END);
            int code = segment >= 8 ? 0x7F : (segment << 4) | ((value >> (segment + 1)) & 0x0F);
            return (byte) (code ^ mask);
        }

        static byte alaw(short pcm) {
            int value = pcm >> 3;
            int mask = 0xD5;
            if (value < 0) {
                value = -value - 1;
                mask = 0x55;
            }
            int segment = segment(value, ALAW_SEGMENT_END);
            int code = segment >= 8 ? 0x7F
                    : (segment << 4) | ((segment < 2 ? value >> 1 : value >> segment) & 0x0F);
            return (byte) (code ^ mask);
        }

        private static int segment(int value, int[] ends) {
            for (int i = 0; i < ends.length; i++) {
                if (value <= ends[i]) {
                    return i;
                }
            }
            return ends.length;
        }
    }
}
