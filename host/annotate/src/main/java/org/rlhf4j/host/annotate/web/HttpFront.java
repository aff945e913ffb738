package org.rlhf4j.host.annotate.web;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The annotation server's HTTP/1.1 front: plain sockets (or TLS over them), one thread per connection, and
 * a limit on everything a client can hold. A connection must deliver its request line and headers within
 * the header timeout and its body within the read timeout; a kept-alive connection with no new request is
 * closed after the idle timeout; one address holds at most {@code maxPerClient} connections and the server
 * at most {@code maxConnections}. Reading and writing happen outside the request threads: a request reaches
 * one of the {@code handlerThreads} only once it has arrived whole, and leaves it as a finished answer, so
 * slow or half-open clients hold a connection thread and nothing else.
 *
 * <p>Bodies need a {@code Content-Length} (chunked requests get 411) of at most {@link #MAX_BODY} bytes.
 */
final class HttpFront implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpFront.class);

    /** The largest body read; a larger Content-Length is refused (413) before a byte of it is read. */
    static final int MAX_BODY = 1 << 20;
    private static final int MAX_HEAD = 32 * 1024;
    private static final int MAX_HEADERS = 100;

    /** Time and connection limits, in milliseconds and counts. */
    record Limits(long headerTimeoutMs, long readTimeoutMs, long idleTimeoutMs, int maxConnections, int maxPerClient,
                  int handlerThreads) {
    }

    /** Answers one request; it fills {@code response} and does no I/O of its own. */
    @FunctionalInterface
    interface Handler {
        void handle(Request request, Response response);
    }

    /** A request that arrived whole. Header names are lower case. */
    record Request(String method, URI uri, Map<String, String> headers, byte[] body, InetAddress client) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** The answer a handler fills in; written after the handler returns. */
    static final class Response {
        int status = 500;
        final Map<String, String> headers = new LinkedHashMap<>();
        byte[] body = new byte[0];
        boolean close;

        void send(int status, String contentType, byte[] body) {
            this.status = status;
            headers.put("Content-Type", contentType);
            this.body = body;
        }
    }

    private final ServerSocket listener;
    private final SSLSocketFactory tls;
    private final Limits limits;
    private final Handler handler;
    private final Semaphore handlers;
    private final ExecutorService connections;
    private final ScheduledExecutorService reaper;
    private final Set<Conn> open = ConcurrentHashMap.newKeySet();
    private final Map<InetAddress, Integer> perClient = new HashMap<>();
    private int total;
    private volatile boolean closed;

    private HttpFront(ServerSocket listener, SSLContext tls, Limits limits, Handler handler) {
        this.listener = listener;
        this.tls = tls == null ? null : tls.getSocketFactory();
        this.limits = limits;
        this.handler = handler;
        this.handlers = new Semaphore(limits.handlerThreads());
        this.connections = Executors.newCachedThreadPool(daemon("annotate-http"));
        this.reaper = Executors.newSingleThreadScheduledExecutor(daemon("annotate-http-timeouts"));
    }

    /** Binds {@code address} (TLS when {@code tls} is given) and starts accepting; a port in use throws BindException. */
    static HttpFront start(InetSocketAddress address, SSLContext tls, Limits limits, Handler handler) throws IOException {
        ServerSocket listener = new ServerSocket();
        try {
            listener.setReuseAddress(true);
            listener.bind(address, 128);
        } catch (IOException e) {
            listener.close();
            throw e;
        }
        HttpFront front = new HttpFront(listener, tls, limits, handler);
        front.reaper.scheduleWithFixedDelay(front::reap, 100, 100, TimeUnit.MILLISECONDS);
        Thread acceptor = daemon("annotate-http-accept").newThread(front::acceptLoop);
        acceptor.start();
        return front;
    }

    int port() {
        return listener.getLocalPort();
    }

    boolean tls() {
        return tls != null;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("annotation server: accept failed: {}", e.getMessage());
                }
                continue;
            }
            InetAddress client = s.getInetAddress();
            String refusal = admit(client);
            if (refusal != null) {
                refuse(s, refusal);
                continue;
            }
            Conn c = new Conn(s, client);
            open.add(c);
            try {
                connections.execute(c);
            } catch (RejectedExecutionException e) {
                c.finish();
            }
        }
    }

    /**
     * Counts a new connection in; the reason it is refused, or null. At a limit, a connection that only
     * waits for its next request (kept alive, idle) is closed to make room, the client's own first; one
     * whose requests are all under way is refused.
     */
    private synchronized String admit(InetAddress client) {
        if (perClient.getOrDefault(client, 0) >= limits.maxPerClient()) {
            evictIdle(client);
        }
        if (total >= limits.maxConnections()) {
            evictIdle(null);
        }
        if (total >= limits.maxConnections()) {
            log.warn("annotation server: refused a connection from {}: {} connections open (annotate.server.max-connections)",
                    client.getHostAddress(), total);
            return "the server has too many connections open; try again shortly";
        }
        int mine = perClient.getOrDefault(client, 0);
        if (mine >= limits.maxPerClient()) {
            log.debug("refused a connection from {}: it holds {} (annotate.server.max-connections-per-client)",
                    client.getHostAddress(), mine);
            return "too many connections from your address (annotate.server.max-connections-per-client = "
                    + limits.maxPerClient() + ")";
        }
        perClient.put(client, mine + 1);
        total++;
        return null;
    }

    /** Closes one idle connection (of {@code client}, or of anyone when null). */
    private void evictIdle(InetAddress client) {
        for (Conn c : open) {
            if (c.idle && (client == null || c.client.equals(client))) {
                c.finish();
                return;
            }
        }
    }

    private synchronized void release(InetAddress client) {
        total--;
        perClient.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1);
    }

    /** A refused connection gets a 503 saying why (in clear only: TLS would need a handshake first), then is closed. */
    private void refuse(Socket s, String why) {
        try (s) {
            if (tls == null) {
                byte[] body = ("{\"error\":\"" + why + "\",\"status\":503}").getBytes(StandardCharsets.UTF_8);
                String head = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\n"
                        + "Content-Length: " + body.length + "\r\nRetry-After: 5\r\nConnection: close\r\n\r\n";
                OutputStream out = s.getOutputStream();
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                s.shutdownOutput();
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private void reap() {
        long now = System.nanoTime();
        for (Conn c : open) {
            if (now - c.deadline > 0) {
                log.debug("closing the connection from {}: {} took too long", c.client.getHostAddress(), c.phase);
                c.kill();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Conn c : open) {
            c.kill();
        }
        reaper.shutdownNow();
        connections.shutdown();
        try {
            connections.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One client connection, served on its own thread. */
    private final class Conn implements Runnable {
        private final Socket raw;
        private final InetAddress client;
        private final byte[] buf = new byte[16 * 1024];
        private int pos;
        private int lim;
        /** System.nanoTime() by which the current phase must end; the reaper closes the socket after it. */
        private volatile long deadline;
        private volatile String phase = "the request headers";
        /** Kept alive and waiting for a next request that has not begun: may be closed to make room. */
        private volatile boolean idle;
        private final java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();

        Conn(Socket raw, InetAddress client) {
            this.raw = raw;
            this.client = client;
            limit("the request headers", limits.headerTimeoutMs());
        }

        private void limit(String what, long millis) {
            phase = what;
            deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        }

        private void unlimited() {
            phase = "handling";
            deadline = System.nanoTime() + TimeUnit.DAYS.toNanos(365);
        }

        void kill() {
            try {
                raw.close();
            } catch (IOException e) {
                // already closed
            }
        }

        void finish() {
            if (finished.compareAndSet(false, true)) {
                kill();
                open.remove(this);
                release(client);
            }
        }

        @Override
        public void run() {
            try {
                raw.setTcpNoDelay(true);
                Socket s = raw;
                if (tls != null) {
                    SSLSocket ssl = (SSLSocket) tls.createSocket(raw, null, raw.getPort(), true);
                    ssl.setUseClientMode(false);
                    s = ssl;
                }
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                boolean first = true;
                while (!closed) {
                    if (!first) {
                        limit("waiting for the next request", limits.idleTimeoutMs());
                        idle = true;
                    }
                    if (!serveOne(in, out, first)) {
                        break;
                    }
                    first = false;
                }
            } catch (SocketException | EOFException e) {
                log.debug("connection from {} ended: {}", client.getHostAddress(), e.getMessage());
            } catch (IOException e) {
                log.debug("connection from {} failed: {}", client.getHostAddress(), e.toString());
            } finally {
                finish();
            }
        }

        /** Reads, answers and writes one request; false when the connection should close. */
        private boolean serveOne(InputStream in, OutputStream out, boolean first) throws IOException {
            String head;
            try {
                head = readHead(in, first);
            } catch (HeadTooLarge e) {
                return refuseRequest(out, 431, e.getMessage());
            }
            if (head == null) {
                return false;
            }
            String[] lines = head.split("\r?\n");
            String[] requestLine = lines[0].split(" ");
            if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.")) {
                return refuseRequest(out, 400, "malformed request line");
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon <= 0 || headers.size() >= MAX_HEADERS) {
                    return refuseRequest(out, colon <= 0 ? 400 : 431, colon <= 0 ? "malformed header line" : "too many headers");
                }
                headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim(),
                        (a, b) -> a + ", " + b);
            }
            URI uri;
            try {
                uri = new URI(requestLine[1]);
            } catch (URISyntaxException e) {
                return refuseRequest(out, 400, "malformed request target");
            }
            boolean http10 = requestLine[2].equals("HTTP/1.0");
            String connection = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT);
            boolean keepAlive = http10 ? connection.contains("keep-alive") : !connection.contains("close");
            if (headers.containsKey("transfer-encoding")) {
                return refuseRequest(out, 411, "send the body with a Content-Length, not chunked");
            }
            long length;
            try {
                length = Long.parseLong(headers.getOrDefault("content-length", "0"));
            } catch (NumberFormatException e) {
                return refuseRequest(out, 400, "malformed Content-Length");
            }
            if (length < 0) {
                return refuseRequest(out, 400, "malformed Content-Length");
            }
            if (length > MAX_BODY) {
                return refuseRequest(out, 413, "the request body is larger than " + MAX_BODY + " bytes");
            }
            if (length > 0 && "100-continue".equalsIgnoreCase(headers.get("expect"))) {
                out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            limit("the request body", limits.readTimeoutMs());
            byte[] body = readBody(in, (int) length);

            Request request = new Request(requestLine[0], uri, headers, body, client);
            Response response = new Response();
            unlimited();
            try {
                handlers.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            try {
                handler.handle(request, response);
            } catch (RuntimeException e) {
                log.error("request {} {} failed", request.method(), uri, e);
                response.send(500, "application/json; charset=utf-8",
                        "{\"error\":\"internal error\",\"status\":500}".getBytes(StandardCharsets.UTF_8));
            } finally {
                handlers.release();
            }
            boolean again = keepAlive && !response.close && !closed;
            write(out, response, again);
            return again;
        }

        private boolean refuseRequest(OutputStream out, int status, String message) throws IOException {
            Response r = new Response();
            r.send(status, "application/json; charset=utf-8", Exchange.JSON.createObjectNode().put("error", message)
                    .put("status", status).toString().getBytes(StandardCharsets.UTF_8));
            write(out, r, false);
            return false;
        }

        private void write(OutputStream out, Response r, boolean keepAlive) throws IOException {
            limit("writing the answer", limits.readTimeoutMs());
            StringBuilder head = new StringBuilder("HTTP/1.1 ").append(r.status).append(' ').append(reason(r.status)).append("\r\n");
            r.headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            boolean noBody = r.status == 204 || r.status == 304;
            if (!noBody) {
                head.append("Content-Length: ").append(r.body.length).append("\r\n");
            }
            head.append("Connection: ").append(keepAlive ? "keep-alive" : "close").append("\r\n\r\n");
            byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
            byte[] all = new byte[h.length + (noBody ? 0 : r.body.length)];
            System.arraycopy(h, 0, all, 0, h.length);
            if (!noBody) {
                System.arraycopy(r.body, 0, all, h.length, r.body.length);
            }
            out.write(all);
            out.flush();
        }

        /** The request line and headers, without the blank line; null at a clean end of stream before any byte. */
        private String readHead(InputStream in, boolean first) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream(512);
            boolean started = false;
            int p1 = 0;
            int p2 = 0; // the two bytes before this one
            while (true) {
                if (pos == lim && !fill(in)) {
                    if (!started) {
                        return null;
                    }
                    throw new EOFException("the client closed the connection in the middle of the headers");
                }
                byte b = buf[pos++];
                if (!started) {
                    if (b == '\r' || b == '\n') {
                        continue; // blank lines before a request are allowed
                    }
                    started = true;
                    idle = false;
                    if (!first) {
                        limit("the request headers", limits.headerTimeoutMs());
                    }
                }
                head.write(b);
                if (b == '\n' && (p1 == '\n' || (p1 == '\r' && p2 == '\n'))) {
                    break;
                }
                p2 = p1;
                p1 = b;
                if (head.size() > MAX_HEAD) {
                    throw new HeadTooLarge();
                }
            }
            return head.toString(StandardCharsets.ISO_8859_1).stripTrailing();
        }

        private byte[] readBody(InputStream in, int length) throws IOException {
            byte[] body = new byte[length];
            int off = 0;
            while (off < length) {
                if (pos < lim) {
                    int n = Math.min(lim - pos, length - off);
                    System.arraycopy(buf, pos, body, off, n);
                    pos += n;
                    off += n;
                } else {
                    int n = in.read(body, off, length - off);
                    if (n < 0) {
                        throw new EOFException("the client closed the connection in the middle of the body");
                    }
                    off += n;
                }
            }
            return body;
        }

        private boolean fill(InputStream in) throws IOException {
            pos = 0;
            lim = 0;
            int n = in.read(buf, 0, buf.length);
            if (n <= 0) {
                return false;
            }
            lim = n;
            return true;
        }
    }

    private static final class HeadTooLarge extends IOException {
        HeadTooLarge() {
            super("the request line and headers are larger than " + MAX_HEAD + " bytes");
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 204 -> "No Content";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 411 -> "Length Required";
            case 413 -> "Content Too Large";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }
}
