package io.callsocket.containers;

import io.callsocket.CallCases;
import io.callsocket.CallTarget;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared call cases against the WAR on Payara Micro 6. */
class PayaraCallIT extends CallCases {
    private PayaraTarget payara;

    @Override
    protected CallTarget start() throws Exception {
        payara = PayaraTarget.start();
        return payara;
    }

    /** Payara has a ManagedScheduledExecutorService: both deployments' timers run on it, not on a scheduler of ours. */
    @Test
    void timersOnTheManagedScheduledExecutorService() {
        String log = Containers.read(payara.console());
        for (String path : new String[] {"/", MOVED_PATH}) {
            String line = "CallSocket endpoint at path " + path + "; timers on java:comp/DefaultManagedScheduledExecutorService";
            assertTrue(log.contains(line), "the log lacks: " + line);
        }
    }
}
