package io.callsocket;

import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Function;

/**
 * Every setting, with its default and its check, in one place. A container reads them from web.xml
 * context-params, the embedded launcher from {@code -Dcallsocket.NAME} system properties and
 * {@code --NAME=value} flags; the names are the same everywhere. A bad value stops start-up.
 */
public record Settings(
        int port,
        String path,
        Duration answerDelay,
        Duration dtmfDelay,
        String dtmfDigit,
        int dtmfDuration,
        Duration hangupDelay,
        boolean echo,
        Duration firstEventTimeout,
        Duration cdrTimeout,
        int maxBinaryMessage,
        int maxTextMessage,
        int outboundAudioFrames,
        String audioFormat,
        int sampleRate,
        String dataDir,
        String jdbcUrl,
        int spoolMaxBytes,
        Duration dbRetryDelay,
        String keystore,
        String keystorePassword) {

    /** One row of the settings table: the README's table is this list. */
    public record Definition(String name, String defaultValue, String meaning) {
    }

    public static final List<Definition> DEFINITIONS = List.of(
            new Definition("port", "4143", "TCP port of the embedded server (a container sets its own connector)"),
            new Definition("path", "/", "WebSocket endpoint path the platform connects to"),
            new Definition("answerDelay", "0", "ms from incoming_call to answer"),
            new Definition("dtmfDelay", "2000", "ms from answer to the server's dtmf"),
            new Definition("dtmfDigit", "1", "digit the server sends: 0-9 * #"),
            new Definition("dtmfDuration", "200", "tone length of the server's dtmf in ms, 1..1000"),
            new Definition("hangupDelay", "12000", "ms from answer to the server's hangup"),
            new Definition("echo", "true", "echo caller audio back while the call is answered"),
            new Definition("firstEventTimeout", "30000", "ms a connection may wait before a valid incoming_call (else close 1008)"),
            new Definition("cdrTimeout", "30000", "ms to wait for the CDR after the call ended (then close 1000)"),
            new Definition("maxBinaryMessage", "65536", "largest audio frame in bytes (larger: close 1009)"),
            new Definition("maxTextMessage", "65536", "largest text message in bytes (larger: close 1009)"),
            new Definition("outboundAudioFrames", "50", "audio frames waiting to be sent per call; past it the oldest are dropped"),
            new Definition("audioFormat", "L16", "caller audio encoding: L16, PCMU or PCMA"),
            new Definition("sampleRate", "8000", "caller audio sample rate: 8000 or 16000"),
            new Definition("dataDir", "data", "folder of the record spool and of the H2 database (relative to the working directory)"),
            new Definition("jdbcUrl", "h2", "database of the call records: a JDBC URL, or h2 for an H2 file database in dataDir"),
            new Definition("spoolMaxBytes", "67108864", "bytes the spool may hold while records wait for the database; past it a record is refused"),
            new Definition("dbRetryDelay", "1000", "ms between attempts to reach the database while it is down"),
            new Definition("keystore", "none", "embedded only: a PKCS12 or JKS keystore file; with one, `port` serves wss:// instead of ws://"),
            new Definition("keystorePassword", "changeit", "password of `keystore` and of its key"));

    public static final String SYSTEM_PROPERTY_PREFIX = "callsocket.";

    public static Settings defaults() {
        return from(name -> null);
    }

    /** Reads every setting from {@code source} (null: take the default). */
    public static Settings from(Function<String, String> source) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Definition d : DEFINITIONS) {
            String value = source.apply(d.name());
            values.put(d.name(), value == null || value.isBlank() ? d.defaultValue() : value.trim());
        }
        Reader r = new Reader(values);
        return new Settings(
                r.integer("port", 0, 65535),
                r.text("path", s -> s.startsWith("/"), "must start with /"),
                r.millis("answerDelay", 0),
                r.millis("dtmfDelay", 0),
                r.text("dtmfDigit", s -> s.length() == 1 && Command.Dtmf.DIGITS.contains(s), "must be one of 0-9 * #"),
                r.integer("dtmfDuration", 1, Command.Dtmf.MAX_DURATION),
                r.millis("hangupDelay", 0),
                r.bool("echo"),
                r.millis("firstEventTimeout", 1),
                r.millis("cdrTimeout", 1),
                r.integer("maxBinaryMessage", 1, Integer.MAX_VALUE),
                r.integer("maxTextMessage", 1, Integer.MAX_VALUE),
                r.integer("outboundAudioFrames", 1, 100_000),
                r.text("audioFormat", Set.of("L16", "PCMU", "PCMA")::contains, "must be L16, PCMU or PCMA"),
                r.integer("sampleRate", Set.of(8000, 16000)),
                r.text("dataDir", s -> !s.isEmpty(), "must name a folder"),
                r.text("jdbcUrl", s -> s.equals("h2") || s.startsWith("jdbc:"), "must be h2 or a jdbc: URL"),
                r.integer("spoolMaxBytes", 4096, Integer.MAX_VALUE),
                r.millis("dbRetryDelay", 1),
                r.text("keystore", s -> s.equals("none") || Files.isRegularFile(Path.of(s)), "must be none or a keystore file"),
                r.text("keystorePassword", s -> true, ""));
    }

    /** The start-up log prints the settings: a password given in jdbcUrl, or the keystore's, must not reach it. */
    @Override
    public String toString() {
        StringJoiner out = new StringJoiner(", ", "Settings[", "]");
        for (RecordComponent component : Settings.class.getRecordComponents()) {
            try {
                Object value = component.getAccessor().invoke(this);
                String name = component.getName();
                out.add(name + "=" + (name.equals("jdbcUrl")
                        ? String.valueOf(value).replaceAll("(?i)(password=)[^&;]*", "$1***")
                        : name.equals("keystorePassword") ? "***" : value));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return out.toString();
    }

    /** Embedded: {@code --name=value} flags win over {@code -Dcallsocket.name} system properties. */
    public static Settings fromCommandLine(String[] args) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("expected --name=value, got: " + arg);
            }
            String name = arg.substring(2, eq);
            if (DEFINITIONS.stream().noneMatch(d -> d.name().equals(name))) {
                throw new IllegalArgumentException("unknown setting: " + name);
            }
            flags.put(name, arg.substring(eq + 1));
        }
        return from(name -> flags.getOrDefault(name, System.getProperty(SYSTEM_PROPERTY_PREFIX + name)));
    }

    /** Parses the values, naming the setting in every error. */
    private record Reader(Map<String, String> values) {

        String text(String name, java.util.function.Predicate<String> valid, String rule) {
            String value = values.get(name);
            if (!valid.test(value)) {
                throw bad(name, value, rule);
            }
            return value;
        }

        int integer(String name, long min, long max) {
            String value = values.get(name);
            try {
                long n = Long.parseLong(value);
                if (n >= min && n <= max) {
                    return (int) n;
                }
            } catch (NumberFormatException ignored) {
                // reported below with the setting's name
            }
            throw bad(name, value, "must be a whole number from " + min + " to " + max);
        }

        int integer(String name, Set<Integer> allowed) {
            int n = integer(name, Integer.MIN_VALUE, Integer.MAX_VALUE);
            if (!allowed.contains(n)) {
                throw bad(name, values.get(name), "must be one of " + allowed);
            }
            return n;
        }

        Duration millis(String name, long min) {
            return Duration.ofMillis(integer(name, min, Integer.MAX_VALUE));
        }

        boolean bool(String name) {
            return Boolean.parseBoolean(text(name, s -> s.equals("true") || s.equals("false"), "must be true or false"));
        }

        private static IllegalArgumentException bad(String name, String value, String rule) {
            return new IllegalArgumentException("setting " + name + "=" + LogText.quote(value) + " " + rule);
        }
    }
}
