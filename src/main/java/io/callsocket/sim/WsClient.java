package io.callsocket.sim;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A lean WebSocket client (RFC 6455) for load: one selector thread serves many connections, and a
 * frame is written straight from the sending thread when the socket takes it. The JDK's client
 * spent more CPU per frame than the server under test, which made the simulator the bottleneck.
 * Plain ws:// only; no extensions.
 */
final class WsClient implements AutoCloseable {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int OP_CONTINUATION = 0x0, OP_TEXT = 0x1, OP_BINARY = 0x2, OP_CLOSE = 0x8, OP_PING = 0x9, OP_PONG = 0xA;

    /** What a connection tells its user; called on the selector thread, which must not be blocked. */
    interface Listener {
        void onOpen(Connection connection);

        void onText(String text);

        void onBinary(ByteBuffer frame);

        void onClose(int code, String reason);

        void onError(Throwable error);
    }

    private final Selector selector;
    private final Thread loop;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;

    WsClient(String name) throws IOException {
        selector = Selector.open();
        loop = new Thread(this::run, name);
        loop.setDaemon(true);
        loop.start();
    }

    void connect(URI uri, Listener listener) {
        tasks.add(() -> {
            Connection connection = new Connection(uri, listener);
            try {
                connection.channel = SocketChannel.open();
                connection.channel.configureBlocking(false);
                connection.channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
                connection.key = connection.channel.register(selector, SelectionKey.OP_CONNECT, connection);
                connection.channel.connect(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort()));
            } catch (IOException e) {
                connection.fail(e);
            }
        });
        selector.wakeup();
    }

    private void run() {
        try {
            loop();
        } finally {
            try {
                selector.close(); // here, not in close(): a selector closed under select() throws
            } catch (IOException ignored) {
                // nothing left to release
            }
        }
    }

    private void loop() {
        while (running) {
            try {
                selector.select(100);
                for (Runnable task; (task = tasks.poll()) != null; ) {
                    task.run();
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    Connection connection = (Connection) key.attachment();
                    try {
                        if (!key.isValid()) {
                            continue;
                        }
                        if (key.isConnectable()) {
                            connection.finishConnect();
                        }
                        if (key.isValid() && key.isWritable()) {
                            connection.flush();
                        }
                        if (key.isValid() && key.isReadable()) {
                            connection.read();
                        }
                    } catch (IOException | RuntimeException e) {
                        connection.fail(e);
                    }
                }
                selector.selectedKeys().clear();
            } catch (IOException | java.nio.channels.ClosedSelectorException e) {
                // The selector itself failed: nothing sensible is left to do for its connections.
                running = false;
            }
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        selector.wakeup();
        try {
            loop.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One WebSocket connection. Sends may come from any thread; reads happen on the selector thread. */
    final class Connection {
        private final URI uri;
        private final Listener listener;
        private final String key64;
        private SocketChannel channel;
        private SelectionKey key;
        private boolean open;
        private boolean closed;
        private final ArrayDeque<ByteBuffer> unsent = new ArrayDeque<>();
        private ByteBuffer in = ByteBuffer.allocate(16 * 1024);
        private final java.io.ByteArrayOutputStream message = new java.io.ByteArrayOutputStream();
        private int messageOpcode;

        private Connection(URI uri, Listener listener) {
            this.uri = uri;
            this.listener = listener;
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            this.key64 = Base64.getEncoder().encodeToString(nonce);
        }

        void sendText(String text) {
            send(OP_TEXT, text.getBytes(StandardCharsets.UTF_8));
        }

        void sendBinary(byte[] payload) {
            send(OP_BINARY, payload);
        }

        /** Drops the TCP connection without a close handshake. */
        void abort() {
            tasks.add(this::closeChannel);
            selector.wakeup();
        }

        private void finishConnect() throws IOException {
            channel.finishConnect();
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            String request = "GET " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key64
                    + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
            key.interestOps(SelectionKey.OP_READ);
            write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
        }

        private void send(int opcode, byte[] payload) {
            int length = payload.length;
            int header = 2 + (length < 126 ? 0 : length < 65536 ? 2 : 8) + 4;
            ByteBuffer frame = ByteBuffer.allocate(header + length);
            frame.put((byte) (0x80 | opcode));
            if (length < 126) {
                frame.put((byte) (0x80 | length));
            } else if (length < 65536) {
                frame.put((byte) (0x80 | 126)).putShort((short) length);
            } else {
                frame.put((byte) (0x80 | 127)).putLong(length);
            }
            int mask = ThreadLocalRandom.current().nextInt();
            frame.putInt(mask);
            byte[] maskBytes = {(byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask};
            for (int i = 0; i < length; i++) {
                frame.put((byte) (payload[i] ^ maskBytes[i & 3]));
            }
            frame.flip();
            try {
                write(frame);
            } catch (IOException e) {
                fail(e);
            }
        }

        /** Writes now if nothing waits before it, else queues it for the selector thread. */
        private synchronized void write(ByteBuffer data) throws IOException {
            if (closed) {
                return;
            }
            if (unsent.isEmpty()) {
                channel.write(data);
                if (!data.hasRemaining()) {
                    return;
                }
            }
            unsent.add(data);
            key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
            selector.wakeup();
        }

        private synchronized void flush() throws IOException {
            while (!unsent.isEmpty()) {
                ByteBuffer next = unsent.peek();
                channel.write(next);
                if (next.hasRemaining()) {
                    return;
                }
                unsent.poll();
            }
            key.interestOps(SelectionKey.OP_READ);
        }

        private void read() throws IOException {
            if (!in.hasRemaining()) {
                in = ByteBuffer.allocate(in.capacity() * 2).put(in.flip());
            }
            int n = channel.read(in);
            if (n < 0) {
                if (!closed) {
                    closeChannel();
                    listener.onClose(1006, "connection lost");
                }
                return;
            }
            in.flip();
            if (!open && !readHandshake()) {
                in.compact();
                return;
            }
            while (readFrame()) {
                // one frame at a time until the buffer holds no whole frame
            }
            in.compact();
        }

        private boolean readHandshake() throws IOException {
            String head = StandardCharsets.ISO_8859_1.decode(in.duplicate()).toString();
            int end = head.indexOf("\r\n\r\n");
            if (end < 0) {
                return false;
            }
            in.position(in.position() + end + 4);
            if (!head.startsWith("HTTP/1.1 101")) {
                throw new IOException("upgrade refused: " + head.lines().findFirst().orElse(""));
            }
            String expected = accept(key64);
            if (head.lines().noneMatch(line -> line.toLowerCase().startsWith("sec-websocket-accept:")
                    && line.substring(line.indexOf(':') + 1).trim().equals(expected))) {
                throw new IOException("bad Sec-WebSocket-Accept");
            }
            open = true;
            listener.onOpen(this);
            return true;
        }

        private boolean readFrame() throws IOException {
            if (in.remaining() < 2) {
                return false;
            }
            int start = in.position();
            int b0 = in.get(start) & 0xFF;
            int b1 = in.get(start + 1) & 0xFF;
            long length = b1 & 0x7F;
            int header = 2;
            if (length == 126) {
                if (in.remaining() < 4) {
                    return false;
                }
                length = in.getShort(start + 2) & 0xFFFF;
                header = 4;
            } else if (length == 127) {
                if (in.remaining() < 10) {
                    return false;
                }
                length = in.getLong(start + 2);
                header = 10;
            }
            if ((b1 & 0x80) != 0) {
                throw new IOException("server frames must not be masked");
            }
            if (length > 16 * 1024 * 1024) {
                throw new IOException("frame of " + length + " bytes");
            }
            if (in.remaining() < header + length) {
                if (in.capacity() < header + length) {
                    ByteBuffer bigger = ByteBuffer.allocate((int) (header + length) * 2);
                    bigger.put(in);
                    bigger.flip();
                    in = bigger;
                }
                return false;
            }
            byte[] payload = new byte[(int) length];
            in.position(start + header);
            in.get(payload);
            boolean last = (b0 & 0x80) != 0;
            int opcode = b0 & 0x0F;
            switch (opcode) {
                case OP_PING -> send(OP_PONG, payload);
                case OP_PONG -> { }
                case OP_CLOSE -> onCloseFrame(payload);
                case OP_TEXT, OP_BINARY, OP_CONTINUATION -> {
                    if (opcode != OP_CONTINUATION) {
                        messageOpcode = opcode;
                        message.reset();
                    }
                    if (last && opcode != OP_CONTINUATION) {
                        deliver(opcode, payload);
                    } else {
                        message.write(payload, 0, payload.length);
                        if (last) {
                            deliver(messageOpcode, message.toByteArray());
                        }
                    }
                }
                default -> throw new IOException("unknown opcode " + opcode);
            }
            return true;
        }

        private void deliver(int opcode, byte[] payload) {
            if (opcode == OP_TEXT) {
                listener.onText(new String(payload, StandardCharsets.UTF_8));
            } else {
                listener.onBinary(ByteBuffer.wrap(payload));
            }
        }

        private void onCloseFrame(byte[] payload) throws IOException {
            int code = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
            String reason = payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
            send(OP_CLOSE, payload.length >= 2 ? new byte[] {payload[0], payload[1]} : new byte[0]);
            closeChannel();
            listener.onClose(code, reason);
        }

        private void fail(Throwable error) {
            boolean wasClosed;
            synchronized (this) {
                wasClosed = closed;
            }
            closeChannel();
            if (!wasClosed) {
                listener.onError(error instanceof ClosedChannelException ? new IOException("connection closed") : error);
            }
        }

        private synchronized void closeChannel() {
            closed = true;
            unsent.clear();
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    static String accept(String key64) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key64 + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
