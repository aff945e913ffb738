package org.rlhf4j.host.annotate.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.host.annotate.settings.AnnotateSettings;
import org.rlhf4j.host.annotate.store.AnnotationStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The annotation web app: an HTTP/1.1 server of its own ({@link HttpFront}: header, body and idle timeouts,
 * connection caps per client) serving the page (plain HTML, CSS and JS from the jar, nothing from the
 * network) and the JSON API under {@code /api/} (docs/annotation-api.md), over HTTPS when
 * {@code annotate.tls.keystore} is set. It refuses to listen in clear on any address but loopback unless
 * {@code annotate.tls.terminated-by-proxy} says a reverse proxy in front speaks TLS.
 */
public final class AnnotationServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AnnotationServer.class);
    private static final String RESOURCES = "/org/rlhf4j/host/annotate/web/";
    private static final Map<String, String> STATIC = Map.of(
            "/", "index.html", "/index.html", "index.html", "/app.js", "app.js", "/forms.js", "forms.js",
            "/admin.js", "admin.js", "/app.css", "app.css");

    private final String host;
    private final AnnotatorApi annotatorApi;
    private final AdminApi adminApi;
    private HttpFront front;

    private AnnotationServer(String host, AnnotationStore store, AnnotateSettings settings) {
        this.host = host;
        this.annotatorApi = new AnnotatorApi(store, settings);
        this.adminApi = new AdminApi(store, settings);
    }

    /**
     * Binds {@code host:port} (port 0: any free one) and starts serving. A port in use throws
     * {@link BindException} naming it; a refused setup (clear text off loopback, an unreadable keystore) a
     * {@link ConfigProblem}.
     */
    public static AnnotationServer start(AnnotationStore store, AnnotateSettings settings, String host, int port)
            throws IOException {
        return start(store, settings, host, port, System.getenv());
    }

    /** As {@link #start(AnnotationStore, AnnotateSettings, String, int)}, reading the keystore password from {@code environment}. */
    public static AnnotationServer start(AnnotationStore store, AnnotateSettings settings, String host, int port,
                                         Map<String, String> environment) throws IOException {
        InetAddress address = InetAddress.getByName(host);
        AnnotateSettings.Tls tls = settings.tls();
        if (tls.keystore() == null && !address.isLoopbackAddress() && !tls.terminatedByProxy()) {
            throw new ConfigProblem("annotate.host = " + host + " is not a loopback address, and the web app would send"
                    + " tokens in clear: set annotate.tls.keystore (HTTPS), or keep annotate.host = 127.0.0.1 behind a"
                    + " reverse proxy on this machine, or set annotate.tls.terminated-by-proxy = true when a proxy"
                    + " elsewhere terminates TLS (docs/annotation.md, \"Annotators on other machines\")");
        }
        SSLContext ssl = tls.keystore() == null ? null : sslContext(tls, environment);
        AnnotateSettings.Server limits = settings.server();
        int completed = store.tasks().completeLabelled(settings.overlap());
        if (completed > 0) {
            log.info("annotation web app: {} task(s) labelled by annotate.overlap = {} people marked complete", completed,
                    settings.overlap());
        }
        AnnotationServer s = new AnnotationServer(host, store, settings);
        try {
            s.front = HttpFront.start(new InetSocketAddress(address, port), ssl, new HttpFront.Limits(
                    limits.headerTimeout().toMillis(), limits.readTimeout().toMillis(), limits.idleTimeout().toMillis(),
                    limits.maxConnections(), limits.maxConnectionsPerClient(), settings.threads()),
                    (request, response) -> s.handle(new Exchange(request, response, ssl != null)));
        } catch (BindException e) {
            BindException named = new BindException("port " + port + " on " + host + " is in use (" + e.getMessage() + ")");
            named.initCause(e);
            throw named;
        }
        log.info("annotation web app at {} (store {}{})", s.url(), store.url(), ssl != null ? ", HTTPS"
                : tls.terminatedByProxy() && !address.isLoopbackAddress() ? ", plain HTTP behind a TLS proxy" : "");
        return s;
    }

    /** The TLS context of the keystore; the password comes from the environment and is never logged. */
    private static SSLContext sslContext(AnnotateSettings.Tls tls, Map<String, String> environment) {
        String password = environment.get(tls.passwordEnv());
        if (password == null) {
            throw new ConfigProblem("annotate.tls.password-env: the environment variable " + tls.passwordEnv()
                    + " is not set; it must hold the password of " + tls.keystore());
        }
        if (!Files.isRegularFile(tls.keystore())) {
            throw new ConfigProblem("annotate.tls.keystore: no keystore file " + tls.keystore().toAbsolutePath());
        }
        try {
            char[] pw = password.toCharArray();
            KeyStore keys = KeyStore.getInstance(tls.keystore().toFile(), pw);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, pw);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigProblem("annotate.tls.keystore: cannot use " + tls.keystore().toAbsolutePath() + " with the"
                    + " password in " + tls.passwordEnv() + ": " + e.getMessage());
        }
    }

    /** The port it listens on. */
    public int port() {
        return front.port();
    }

    /** The page's address. */
    public String url() {
        return (front.tls() ? "https://" : "http://") + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + "/";
    }

    private void handle(Exchange ex) {
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
            reply(ex, e);
        } catch (RuntimeException e) {
            log.error("request {} {} failed", ex.method(), ex.path(), e);
            reply(ex, new ApiError(500, "internal error: " + e.getMessage()));
        } catch (IOException e) {
            reply(ex, new ApiError(500, "internal error: " + e.getMessage()));
        }
    }

    private static void reply(Exchange ex, ApiError e) {
        try {
            ex.sendError(e);
        } catch (IOException | RuntimeException x) {
            log.debug("could not answer: {}", x.toString());
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
        front.close();
    }
}
