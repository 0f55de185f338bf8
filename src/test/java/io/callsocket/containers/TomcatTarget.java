package io.callsocket.containers;

import io.callsocket.CallCases;
import io.callsocket.CallTarget;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The WAR on a real Tomcat 10.1 (the distribution the build unpacks), set up as README says: a
 * CATALINA_BASE whose conf/server.xml is server.xml.sample with its ports made free and its TLS
 * connector uncommented and filled in, the WAR as webapps/ROOT.war. A second copy of the WAR, with
 * the path setting changed in its web.xml, is deployed as webapps/alt.war.
 */
final class TomcatTarget extends WarTarget {
    private static final Pattern TLS_CONNECTOR =
            Pattern.compile("<!--\\s*(<Connector port=\"4443\".*?</Connector>)\\s*-->", Pattern.DOTALL);

    private final Path base;
    private final int tlsPort;
    private final Path keystore;
    private Process process;

    private TomcatTarget(Path base, int port, int tlsPort, Path keystore) {
        super(port);
        this.base = base;
        this.tlsPort = tlsPort;
        this.keystore = keystore;
    }

    static TomcatTarget start() throws Exception {
        Path home = Containers.built("tomcat.home");
        Path base = Containers.freshDir("tomcat");
        int port = Containers.freePort();
        int tlsPort = Containers.freePort();
        copyDir(home.resolve("conf"), base.resolve("conf"));
        for (String dir : List.of("logs", "temp", "webapps", "work")) {
            Files.createDirectories(base.resolve(dir));
        }
        Path keystore = Keystores.selfSigned(base.resolve("conf/callsocket.p12"));
        Files.writeString(base.resolve("conf/server.xml"),
                serverXml(Files.readString(Path.of("server.xml.sample")), port, tlsPort, "conf/callsocket.p12", Keystores.PASSWORD));
        // Sender logs a failed send at DEBUG (FINE); the concurrency check must see one if it happens.
        Files.writeString(base.resolve("conf/logging.properties"), "\nio.callsocket.level = FINE\n", StandardOpenOption.APPEND);

        Map<String, String> root = new HashMap<>(CallCases.SETTINGS);
        root.put("dataDir", base.resolve("data-root").toString());
        Wars.withSettings(Containers.war(), base.resolve("webapps/ROOT.war"), root);
        Map<String, String> moved = new HashMap<>(CallCases.SETTINGS);
        moved.put("dataDir", base.resolve("data-alt").toString());
        moved.put("path", CallCases.MOVED_PATH);
        Wars.withSettings(Containers.war(), base.resolve("webapps/alt.war"), moved);

        TomcatTarget target = new TomcatTarget(base, port, tlsPort, keystore);
        target.launch(home);
        return target;
    }

    /** server.xml.sample as an operator fills it in: ports set, the TLS connector uncommented with a keystore. */
    static String serverXml(String sample, int port, int tlsPort, String keystoreFile, String password) {
        Matcher tls = TLS_CONNECTOR.matcher(sample);
        if (!tls.find()) {
            throw new IllegalStateException("server.xml.sample has no commented TLS connector on 4443");
        }
        String connector = tls.group(1)
                .replace("port=\"4443\"", "port=\"" + tlsPort + "\"")
                .replace("KEYSTORE_FILE", keystoreFile)
                .replace("KEYSTORE_PASSWORD", password);
        String xml = sample.substring(0, tls.start()) + connector + sample.substring(tls.end());
        return xml.replace("<Connector port=\"4143\"", "<Connector port=\"" + port + "\"")
                // No shutdown port: the test stops Tomcat with a signal, and two builds must not collide on 8005.
                .replace("<Server port=\"8005\"", "<Server port=\"-1\"");
    }

    private void launch(Path home) throws Exception {
        List<String> command = new ArrayList<>(List.of(Containers.java(),
                // What bin/catalina.sh adds on JDK 17.
                "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                "--add-opens=java.base/java.io=ALL-UNNAMED",
                "--add-opens=java.base/java.util=ALL-UNNAMED",
                "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                "--add-opens=java.rmi/sun.rmi.transport=ALL-UNNAMED",
                "-Djava.util.logging.config.file=" + base.resolve("conf/logging.properties"),
                "-Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager",
                "-Dcatalina.home=" + home, "-Dcatalina.base=" + base,
                "-Djava.io.tmpdir=" + base.resolve("temp"),
                "-cp", home.resolve("bin/bootstrap.jar") + java.io.File.pathSeparator + home.resolve("bin/tomcat-juli.jar"),
                "org.apache.catalina.startup.Bootstrap", "start"));
        process = new ProcessBuilder(command).directory(base.toFile())
                .redirectErrorStream(true).redirectOutput(console().toFile()).start();
        try {
            Containers.awaitLog(process, console(), Pattern.compile("Server startup in"), Pattern.compile("\\bSEVERE\\b"),
                    Containers.START_TIMEOUT);
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    Path console() {
        return base.resolve("logs/console.log");
    }

    Path keystore() {
        return keystore;
    }

    URI secureUri() {
        return URI.create("wss://localhost:" + tlsPort + "/");
    }

    @Override
    public List<String> logProblems() throws IOException {
        return Containers.problems(Containers.filesIn(base.resolve("logs")));
    }

    @Override
    public void close() throws Exception {
        try {
            Containers.stop(process);
        } finally {
            Containers.keepLogs("tomcat", Containers.filesIn(base.resolve("logs")));
        }
    }

    private static void copyDir(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (Path file : Containers.filesIn(from)) {
            Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
