package io.callsocket;

import java.lang.System.Logger.Level;
import java.util.concurrent.CountDownLatch;

/** Runs CallSocket embedded: {@code mvn compile exec:java}, settings as {@code --name=value} or {@code -Dcallsocket.name=value}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        // One line per log record, unless the user configured JUL otherwise.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        }
        Settings settings;
        try {
            settings = Settings.fromCommandLine(args);
        } catch (IllegalArgumentException bad) {
            System.err.println("callsocket: " + bad.getMessage());
            System.exit(2);
            return;
        }
        EmbeddedServer server;
        try {
            server = EmbeddedServer.start(settings);
        } catch (IllegalArgumentException bad) {
            // A setting only checkable at start, such as a jdbcUrl no driver takes.
            System.err.println("callsocket: " + bad.getMessage());
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "callsocket-shutdown"));
        System.getLogger(Main.class.getName()).log(Level.INFO,
                "CallSocket listening on {0}://localhost:{1}{2} (Ctrl-C stops it)",
                settings.keystore().equals("none") ? "ws" : "wss", String.valueOf(server.port()), settings.path());
        stopped.await();
    }
}
