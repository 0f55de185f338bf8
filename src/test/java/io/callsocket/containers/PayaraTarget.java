package io.callsocket.containers;

import io.callsocket.CallCases;
import io.callsocket.CallTarget;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The WAR on Payara Micro 6 (the jar the build copies from Maven Central), started as README says:
 * deployed at the context root "/", on a free port, without clustering. A second copy of the WAR,
 * with the path setting changed in its web.xml, is deployed at /alt.
 */
final class PayaraTarget extends WarTarget {
    /**
     * Payara 6.2025.10 sometimes logs this SEVERE while many WebSocket connections close at once:
     * its HTTP layer finishing the upgrade request of a connection Grizzly already recycled (an NPE
     * wholly inside org.glassfish.grizzly, no CallSocket frame). Every call still completed; any
     * other SEVERE line fails the run.
     */
    private static final Pattern GRIZZLY_RECYCLED_REQUEST = Pattern.compile(
            "\\[SEVERE\\] \\[AS-WEB-CORE-00037\\].*\\n.*\\njava\\.lang\\.NullPointerException.*\\n\\s+at org\\.glassfish\\.grizzly\\.");

    private final Path base;
    private Process process;

    private PayaraTarget(Path base, int port) {
        super(port);
        this.base = base;
    }

    static PayaraTarget start() throws Exception {
        Path base = Containers.freshDir("payara");
        int port = Containers.freePort();
        Map<String, String> root = new HashMap<>(CallCases.SETTINGS);
        root.put("dataDir", base.resolve("data-root").toString());
        Path rootWar = Wars.withSettings(Containers.war(), base.resolve("callsocket.war"), root);
        Map<String, String> moved = new HashMap<>(CallCases.SETTINGS);
        moved.put("dataDir", base.resolve("data-alt").toString());
        moved.put("path", CallCases.MOVED_PATH);
        Path movedWar = Wars.withSettings(Containers.war(), base.resolve("alt.war"), moved);

        PayaraTarget target = new PayaraTarget(base, port);
        target.process = new ProcessBuilder(Containers.java(), "-jar", Containers.built("payara.jar").toString(),
                "--deploy", rootWar.toString(), "--contextroot", "/",
                "--deploy", movedWar.toString(),
                "--port", String.valueOf(port), "--nocluster", "--rootdir", base.resolve("root").toString())
                .directory(base.toFile()).redirectErrorStream(true).redirectOutput(target.console().toFile()).start();
        try {
            Containers.awaitLog(target.process, target.console(), Pattern.compile("Payara Micro .* ready in"),
                    Pattern.compile("\\[SEVERE\\]|Deployment failed"), Containers.START_TIMEOUT);
        } catch (Exception | Error e) {
            target.close();
            throw e;
        }
        return target;
    }

    Path console() {
        return base.resolve("console.log");
    }

    @Override
    public List<String> logProblems() throws IOException {
        return Containers.problems(List.of(console()), List.of(GRIZZLY_RECYCLED_REQUEST));
    }

    @Override
    public void close() throws Exception {
        try {
            Containers.stop(process);
        } finally {
            Containers.keepLogs("payara", List.of(console()));
        }
    }
}
