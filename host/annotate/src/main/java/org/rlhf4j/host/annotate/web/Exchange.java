package org.rlhf4j.host.annotate.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** One HTTP request and its answer, with the JSON handling every API endpoint shares. */
final class Exchange {

    static final ObjectMapper JSON = new ObjectMapper();
    /** A label or an edit is small; anything larger is refused before it is read. */
    private static final int MAX_BODY = 1 << 20;

    final HttpExchange http;

    Exchange(HttpExchange http) {
        this.http = http;
    }

    String method() {
        return http.getRequestMethod();
    }

    String path() {
        return http.getRequestURI().getPath();
    }

    /** A query parameter, or null. */
    String query(String name) {
        String q = http.getRequestURI().getRawQuery();
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
        String auth = http.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return auth.substring(7).trim();
    }

    /** The request body as a JSON object; 400 when it is not one, 413 when too large. */
    ObjectNode jsonBody() {
        byte[] bytes;
        try (InputStream in = http.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY + 1);
        } catch (IOException e) {
            throw ApiError.badRequest("could not read the request body: " + e.getMessage());
        }
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

    void send(int status, String contentType, byte[] bytes) throws IOException {
        var h = http.getResponseHeaders();
        h.set("Content-Type", contentType);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Cache-Control", "no-store");
        // Only the app's own files run: no inline script, nothing from elsewhere.
        h.set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self';"
                + " connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'");
        if (status == 204) {
            http.sendResponseHeaders(204, -1);
        } else {
            http.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = http.getResponseBody()) {
                out.write(bytes);
            }
        }
        http.close();
    }
}
