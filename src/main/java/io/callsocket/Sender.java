package io.callsocket;

import jakarta.websocket.CloseReason;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The only way anything is sent on a call. One async send in flight, the rest waiting in order;
 * Tomcat throws on concurrent sends to one session where Tyrus serializes them silently. Waiting
 * audio is bounded: past the bound the oldest frame is dropped and counted. Commands and the
 * final close are never dropped.
 */
final class Sender {
    private static final System.Logger LOG = System.getLogger(Sender.class.getName());

    private final Session session;
    private final int maxWaitingAudio;
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    private int waitingAudio;
    private boolean sending;
    private boolean done;
    private long framesOut;
    private long bytesOut;
    private long framesDropped;

    Sender(Session session, int maxWaitingAudio) {
        this.session = session;
        this.maxWaitingAudio = maxWaitingAudio;
    }

    void send(Command command) {
        submit(command);
    }

    /** {@code frame} must be the sender's own copy: the container may reuse the buffer it delivered. */
    void sendAudio(ByteBuffer frame) {
        submit(frame);
    }

    /** Closes the connection after everything submitted before. */
    void close(CloseReason reason) {
        submit(reason);
    }

    synchronized CallRecord.Audio audio(long framesIn, long bytesIn, long framesDroppedOutsideCall) {
        return new CallRecord.Audio(framesIn, bytesIn, framesOut, bytesOut, framesDroppedOutsideCall, framesDropped);
    }

    private void submit(Object message) {
        synchronized (this) {
            // A frame counts as out once handed over, and moves to dropped if it never leaves: so
            // a record taken while frames still wait adds up (in = out + dropped).
            if (message instanceof ByteBuffer frame) {
                if (done) {
                    framesDropped++;
                    return;
                }
                framesOut++;
                bytesOut += frame.remaining();
            }
            if (done) {
                return;
            }
            if (sending) {
                waiting.add(message);
                if (message instanceof ByteBuffer && ++waitingAudio > maxWaitingAudio) {
                    dropOldestAudio();
                }
                return;
            }
            sending = true;
        }
        // Sent outside the lock: a container may run the completion handler on this thread.
        transmit(message);
    }

    private void transmit(Object message) {
        try {
            if (message instanceof ByteBuffer frame) {
                session.getAsyncRemote().sendBinary(frame, this::sent);
            } else if (message instanceof Command command) {
                session.getAsyncRemote().sendObject(command, this::sent);
            } else {
                stop();
                session.close((CloseReason) message);
            }
        } catch (IOException e) {
            // The connection is going or gone; @OnClose keeps the record.
            LOG.log(Level.DEBUG, "send failed: {0}", e.toString());
            stop();
        } catch (RuntimeException e) {
            // Not a lost connection but a container refusing the send (Tomcat's IllegalStateException
            // for concurrent sends would land here): a bug worth seeing.
            LOG.log(Level.WARNING, "send refused: " + e, e);
            stop();
        }
    }

    private void sent(SendResult result) {
        if (!result.isOK()) {
            LOG.log(Level.DEBUG, "send failed: {0}", String.valueOf(result.getException()));
            stop();
            return;
        }
        Object next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                sending = false;
                return;
            }
            if (next instanceof ByteBuffer) {
                waitingAudio--;
            }
        }
        transmit(next);
    }

    private synchronized void stop() {
        done = true;
        for (Object message : waiting) {
            if (message instanceof ByteBuffer frame) {
                unsend(frame);
            }
        }
        waiting.clear();
        waitingAudio = 0;
    }

    private void unsend(ByteBuffer frame) {
        framesOut--;
        bytesOut -= frame.remaining();
        framesDropped++;
    }

    private void dropOldestAudio() {
        for (Iterator<Object> it = waiting.iterator(); it.hasNext(); ) {
            if (it.next() instanceof ByteBuffer frame) {
                it.remove();
                waitingAudio--;
                unsend(frame);
                return;
            }
        }
    }
}
