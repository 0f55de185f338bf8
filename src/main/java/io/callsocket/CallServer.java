package io.callsocket;

import io.callsocket.store.JdbcCallStore;
import jakarta.websocket.server.ServerEndpointConfig;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What all calls of one server share: settings, the record store, the timers, and the registry of
 * live sessionIds. Built once by the container listener or the embedded launcher.
 */
public final class CallServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(CallServer.class.getName());

    private final Settings settings;
    private final CallStore store;
    private final Timers timers;
    /** The store this server made, closed with it; a store handed in belongs to whoever made it. */
    private final AutoCloseable ownStore;
    private final ConcurrentHashMap<String, Call> liveBySessionId = new ConcurrentHashMap<>();
    private final Set<Call> open = ConcurrentHashMap.newKeySet();
    private final CallEndpoint endpoint = new CallEndpoint(this);

    private CallServer(Settings settings, CallStore store, Timers timers, AutoCloseable ownStore) {
        this.settings = settings;
        this.store = store;
        this.timers = timers;
        this.ownStore = ownStore;
    }

    /** The server as deployed: the container's scheduler where it has one, records in the database. */
    public static CallServer create(Settings settings) {
        JdbcCallStore store = JdbcCallStore.open(settings);
        return create(settings, store, store);
    }

    public static CallServer create(Settings settings, CallStore store) {
        return create(settings, store, null);
    }

    private static CallServer create(Settings settings, CallStore store, AutoCloseable ownStore) {
        CallServer server = new CallServer(settings, store, Timers.find(), ownStore);
        LOG.log(Level.INFO, "CallSocket endpoint at path {0}; timers on {1}; settings {2}",
                settings.path(), server.timers.source(), settings);
        return server;
    }

    /** One endpoint instance serves every connection: the state of a call lives in its Session. */
    public ServerEndpointConfig endpointConfig() {
        ServerEndpointConfig config = ServerEndpointConfig.Builder.create(CallEndpoint.class, settings.path())
                .decoders(List.of(EventDecoder.class))
                .encoders(List.of(CommandEncoder.class))
                .configurator(new ServerEndpointConfig.Configurator() {
                    @Override
                    public <T> T getEndpointInstance(Class<T> endpointClass) {
                        return endpointClass.cast(endpoint);
                    }
                })
                .build();
        config.getUserProperties().put(EventDecoder.MAX_TEXT_MESSAGE, settings.maxTextMessage());
        return config;
    }

    public Settings settings() {
        return settings;
    }

    public CallStore store() {
        return store;
    }

    Timers timers() {
        return timers;
    }

    /** Connections open now, with or without an accepted call. */
    public int openConnections() {
        return open.size();
    }

    /** Calls holding a sessionId now. */
    public int liveCalls() {
        return liveBySessionId.size();
    }

    /** Timers waiting in the server's own scheduler; -1 when the container's scheduler is used. */
    public int pendingTimers() {
        return timers.pending();
    }

    void opened(Call call) {
        open.add(call);
    }

    boolean claim(String sessionId, Call call) {
        return liveBySessionId.putIfAbsent(sessionId, call) == null;
    }

    void closed(Call call) {
        open.remove(call);
        String sessionId = call.sessionId();
        if (sessionId != null) {
            liveBySessionId.remove(sessionId, call);
        }
    }

    @Override
    public void close() {
        // Calls still open are finished first, so their records are kept before the store closes.
        open.forEach(Call::onShutdown);
        timers.shutdown();
        if (ownStore != null) {
            try {
                ownStore.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "closing the record store: {0}", e.toString());
            }
        }
    }
}
