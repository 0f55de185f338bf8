package io.callsocket;

import java.net.URI;
import java.util.List;

/** A running CallSocket the shared call cases play against: embedded, or the WAR in a real container. */
public interface CallTarget extends AutoCloseable {

    /** The endpoint deployed with {@link CallCases#SETTINGS} at the default path, {@code /}. */
    URI uri();

    /** The endpoint of a second deployment whose {@code path} setting is {@link CallCases#MOVED_PATH}. */
    URI movedUri();

    /** The root of that second deployment, where no endpoint may answer. */
    URI movedRoot();

    /** Lines of the server's logs that a clean run must not have: SEVERE or ERROR, or an IllegalStateException. */
    List<String> logProblems() throws Exception;
}
