package io.callsocket;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executor the calls' timers run on: the container's ManagedScheduledExecutorService where JNDI
 * has one (Payara), else a JDK scheduler of our own (Tomcat, embedded). Held as the JDK type, since
 * naming the EE type in a class Tomcat loads fails with NoClassDefFoundError.
 */
record Timers(ScheduledExecutorService executor, String source, boolean owned) {
    static final String MANAGED = "java:comp/DefaultManagedScheduledExecutorService";

    static Timers find() {
        try {
            Object found = new InitialContext().lookup(MANAGED);
            if (found instanceof ScheduledExecutorService managed) {
                return new Timers(managed, MANAGED, false);
            }
        } catch (NamingException notThere) {
            // Tomcat: NameNotFoundException; embedded: NoInitialContextException. Fall back.
        }
        return jdk();
    }

    static Timers jdk() {
        AtomicInteger count = new AtomicInteger();
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(2, task -> {
            Thread thread = new Thread(task, "callsocket-timer-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        // Most timers are cancelled (every call ends early or on time): drop them from the queue at once.
        executor.setRemoveOnCancelPolicy(true);
        return new Timers(executor, "JDK ScheduledThreadPoolExecutor", true);
    }

    /** Timers waiting in our own executor; -1 for the container's, which does not tell. */
    int pending() {
        return executor instanceof ScheduledThreadPoolExecutor own ? own.getQueue().size() : -1;
    }

    void shutdown() {
        if (owned) {
            executor.shutdownNow();
        }
    }
}
