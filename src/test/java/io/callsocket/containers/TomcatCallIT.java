package io.callsocket.containers;

import io.callsocket.CallCases;
import io.callsocket.CallTarget;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared call cases against the WAR on Tomcat 10.1, plus wss:// through server.xml.sample's TLS connector. */
class TomcatCallIT extends CallCases {
    private TomcatTarget tomcat;

    @Override
    protected CallTarget start() throws Exception {
        tomcat = TomcatTarget.start();
        return tomcat;
    }

    /** Tomcat has no ManagedScheduledExecutorService: both deployments fall back to their own JDK scheduler. */
    @Test
    void timersOnTheJdkScheduler() {
        String log = Containers.read(tomcat.console());
        for (String path : new String[] {"/", MOVED_PATH}) {
            String line = "CallSocket endpoint at path " + path + "; timers on JDK ScheduledThreadPoolExecutor";
            assertTrue(log.contains(line), "the log lacks: " + line);
        }
    }

    @Test
    void callOverWss() throws Exception {
        secureCall(tomcat.secureUri(), Keystores.trusting(tomcat.keystore()));
    }
}
