package org.rlhf4j.host.annotate.remote;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs JSON to a labelling endpoint with retries and a rate limit: a timeout, a dropped connection, 429 or
 * a 5xx answer is retried after a back-off that doubles (or the server's Retry-After), up to
 * {@code retries} times; any other 4xx fails at once. Messages name the URL and status, never the headers
 * (which may carry a key).
 */
final class HttpCaller {

    private static final Logger log = LoggerFactory.getLogger(HttpCaller.class);
    private static final long MAX_BACKOFF_MS = 30_000;

    /** The endpoint answered with an error, or could not be reached, after every retry. */
    static final class CallFailed extends Exception {
        CallFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final HttpClient client;
    private final URI uri;
    private final Duration timeout;
    private final int retries;
    private final Duration backoff;
    private final long minIntervalNanos;
    private long nextAllowed;

    HttpCaller(URI uri, Duration timeout, int retries, Duration backoff, int requestsPerMinute) {
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.uri = uri;
        this.timeout = timeout;
        this.retries = retries;
        this.backoff = backoff;
        this.minIntervalNanos = requestsPerMinute > 0 ? 60_000_000_000L / requestsPerMinute : 0;
    }

    /** Sends {@code json} and returns the 2xx answer's body. */
    String post(String json, Map<String, String> headers) throws CallFailed, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        headers.forEach(b::header);
        HttpRequest request = b.build();
        long wait = backoff.toMillis();
        String last = "";
        Throwable cause = null;
        for (int attempt = 0; attempt <= retries; attempt++) {
            if (attempt > 0) {
                log.info("{}: retry {} of {} in {} ms after {}", uri, attempt, retries, wait, last);
                Thread.sleep(wait);
                wait = Math.min(MAX_BACKOFF_MS, wait * 2);
            }
            pace();
            try {
                HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int s = r.statusCode();
                if (s >= 200 && s < 300) {
                    return r.body();
                }
                last = "HTTP " + s + ": " + abbreviate(r.body());
                if (s != 429 && s < 500) {
                    throw new CallFailed(uri + " refused the request (" + last + ")", null);
                }
                wait = r.headers().firstValue("Retry-After").map(HttpCaller::seconds).map(x -> Math.min(MAX_BACKOFF_MS, x)).orElse(wait);
            } catch (IOException e) {
                last = e instanceof java.net.http.HttpTimeoutException ? "no answer within " + timeout.toMillis() + " ms"
                        : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                cause = e;
            }
        }
        throw new CallFailed(uri + " failed after " + (retries + 1) + " attempt(s): " + last, cause);
    }

    /** Waits until the rate limit allows the next request. */
    private synchronized void pace() throws InterruptedException {
        long now = System.nanoTime();
        if (nextAllowed > now) {
            Thread.sleep((nextAllowed - now) / 1_000_000, (int) ((nextAllowed - now) % 1_000_000));
            now = System.nanoTime();
        }
        nextAllowed = now + minIntervalNanos;
    }

    private static Long seconds(String retryAfter) {
        try {
            return Long.parseLong(retryAfter.trim()) * 1000;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static String abbreviate(String s) {
        String one = s == null ? "" : s.replaceAll("\\s+", " ").trim();
        return one.length() > 200 ? one.substring(0, 200) + "..." : one;
    }
}
