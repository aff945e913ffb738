package org.rlhf4j.host.annotate.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** One HTTP request and its answer, with the JSON handling every API endpoint shares. */
final class Exchange {

    static final ObjectMapper JSON = new ObjectMapper();
    /** A label or an edit is small; anything larger is refused before it is read. */
    private static final int MAX_BODY = HttpFront.MAX_BODY;

    final HttpFront.Request request;
    private final HttpFront.Response response;
    private final boolean tls;

    Exchange(HttpFront.Request request, HttpFront.Response response, boolean tls) {
        this.request = request;
        this.response = response;
        this.tls = tls;
    }

    String method() {
        return request.method();
    }

    String path() {
        String p = request.uri().getPath();
        return p == null ? "" : p;
    }

    /** A query parameter, or null. */
    String query(String name) {
        String q = request.uri().getRawQuery();
        if (q == null) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (String kv : q.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                params.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params.get(name);
    }

    /** The bearer token of the request, or null. */
    String token() {
        String auth = request.header("Authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return auth.substring(7).trim();
    }

    /** The request body as a JSON object; 400 when it is not one, 413 when too large. */
    ObjectNode jsonBody() {
        byte[] bytes = request.body();
        if (bytes.length > MAX_BODY) {
            throw new ApiError(413, "the request body is larger than " + MAX_BODY + " bytes");
        }
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw ApiError.badRequest("the request body must be a JSON object");
            }
            return (ObjectNode) node;
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("the request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiError.badRequest("could not read the request body: " + e.getMessage());
        }
    }

    void sendJson(int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        send(status, "application/json; charset=utf-8", bytes);
    }

    void sendError(int status, String message) throws IOException {
        sendJson(status, JSON.createObjectNode().put("error", message).put("status", status));
    }

    void sendError(ApiError e) throws IOException {
        ObjectNode o = JSON.createObjectNode().put("error", e.getMessage()).put("status", e.status);
        e.fields.forEach((k, v) -> o.set(k, JSON.valueToTree(v)));
        e.headers.forEach(this::header);
        sendJson(e.status, o);
    }

    void send(int status, String contentType, byte[] bytes) throws IOException {
        var h = response.headers;
        h.put("X-Content-Type-Options", "nosniff");
        h.put("Cache-Control", "no-store");
        // Only the app's own files run: no inline script, nothing from elsewhere.
        h.put("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self';"
                + " connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'");
        if (tls) {
            h.put("Strict-Transport-Security", "max-age=31536000");
        }
        response.send(status, contentType, status == 204 ? new byte[0] : bytes);
    }

    /** Adds a header to the answer. */
    void header(String name, String value) {
        response.headers.put(name, value);
    }
}
