package org.rlhf4j.host.annotate.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.rlhf4j.host.annotate.settings.AnnotateSettings;
import org.rlhf4j.host.annotate.store.AnnotationStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The annotation web app: the JDK's HTTP server serving the page (plain HTML, CSS and JS from the jar,
 * nothing from the network) and the JSON API under {@code /api/} (docs/annotation-api.md).
 */
public final class AnnotationServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AnnotationServer.class);
    private static final String RESOURCES = "/org/rlhf4j/host/annotate/web/";
    private static final Map<String, String> STATIC = Map.of(
            "/", "index.html", "/index.html", "index.html", "/app.js", "app.js", "/forms.js", "forms.js",
            "/admin.js", "admin.js", "/app.css", "app.css");

    private final HttpServer server;
    private final ExecutorService executor;
    private final AnnotatorApi annotatorApi;
    private final AdminApi adminApi;

    private AnnotationServer(HttpServer server, ExecutorService executor, AnnotationStore store, AnnotateSettings settings) {
        this.server = server;
        this.executor = executor;
        this.annotatorApi = new AnnotatorApi(store, settings);
        this.adminApi = new AdminApi(store, settings);
    }

    /** Binds {@code host:port} (port 0: any free one) and starts serving. */
    public static AnnotationServer start(AnnotationStore store, AnnotateSettings settings, String host, int port)
            throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 128);
        ExecutorService executor = Executors.newFixedThreadPool(settings.threads(), r -> {
            Thread t = new Thread(r, "annotate-http");
            t.setDaemon(true);
            return t;
        });
        AnnotationServer s = new AnnotationServer(http, executor, store, settings);
        http.createContext("/", s::handle);
        http.setExecutor(executor);
        http.start();
        log.info("annotation web app at {} (store {})", s.url(), store.url());
        return s;
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The page's address. */
    public String url() {
        String host = server.getAddress().getHostString();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + "/";
    }

    private void handle(HttpExchange http) {
        Exchange ex = new Exchange(http);
        try {
            String path = ex.path();
            if (path.startsWith("/api/admin/")) {
                adminApi.handle(ex);
            } else if (path.startsWith("/api/")) {
                annotatorApi.handle(ex);
            } else if (STATIC.containsKey(path) && ex.method().equals("GET")) {
                serveStatic(ex, STATIC.get(path));
            } else {
                throw new ApiError(404, "no such page: " + path);
            }
        } catch (ApiError e) {
            reply(ex, e.status, e.getMessage());
        } catch (RuntimeException e) {
            log.error("request {} {} failed", http.getRequestMethod(), http.getRequestURI(), e);
            reply(ex, 500, "internal error: " + e.getMessage());
        } catch (IOException e) {
            log.debug("client went away: {}", e.getMessage());
            http.close();
        }
    }

    private static void reply(Exchange ex, int status, String message) {
        try {
            ex.sendError(status, message);
        } catch (IOException | RuntimeException e) {
            ex.http.close();
        }
    }

    private static void serveStatic(Exchange ex, String name) throws IOException {
        try (InputStream in = AnnotationServer.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new ApiError(404, "missing resource " + name);
            }
            String type = name.endsWith(".js") ? "text/javascript; charset=utf-8"
                    : name.endsWith(".css") ? "text/css; charset=utf-8" : "text/html; charset=utf-8";
            ex.send(200, type, in.readAllBytes());
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
