package org.rlhf4j.host.annotate;

import org.rlhf4j.host.annotate.settings.AnnotateSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The shipped defaults, a store's usual accounts and tasks, and a small JSON-over-HTTP client for the annotation
 * tests (127.0.0.1 only).
 */
final class AnnotateFixture {

    static final ObjectMapper JSON = new ObjectMapper();

    private AnnotateFixture() {
    }

    /** Annotators alice, bob and carol and an admin in {@code store}: their tokens by name. */
    static java.util.Map<String, String> accounts(org.rlhf4j.host.annotate.store.AnnotationStore store) {
        java.util.Map<String, String> tokens = new java.util.HashMap<>();
        for (String name : java.util.List.of("alice", "bob", "carol")) {
            tokens.put(name, store.accounts().create(name, org.rlhf4j.host.annotate.store.Accounts.Role.ANNOTATOR));
        }
        tokens.put("admin", store.accounts().create("admin", org.rlhf4j.host.annotate.store.Accounts.Role.ADMIN));
        return tokens;
    }

    /** Puts {@code task} in {@code store}, queued for annotators. */
    static void queue(org.rlhf4j.host.annotate.store.AnnotationStore store, org.rlhf4j.api.annotate.AnnotationTask task) {
        store.tasks().put(task, null, 0);
        store.tasks().setStatus(task.id(), org.rlhf4j.host.annotate.store.TaskStore.Status.QUEUED, "test", "");
    }

    /** rlhf4j/annotate.conf, resolved, with {@code overrides} (HOCON) on top. */
    static Config defaults(String overrides) {
        return ConfigFactory.parseString(overrides).withFallback(ConfigFactory.parseResources("reference.conf")).resolve();
    }

    static AnnotateSettings settings(String overrides) {
        return AnnotateSettings.from(defaults(overrides).getConfig("annotate"));
    }

    /** One answer: status and JSON body. */
    record Reply(int status, JsonNode body) {
    }

    /** Calls the API at {@code base}; {@code body} null sends none. */
    static Reply call(String base, String method, String path, String token, Object body) throws Exception {
        return call(base, method, path, token, body, 20);
    }

    /** Calls the API at {@code base}, giving up after {@code timeoutSeconds}. */
    static Reply call(String base, String method, String path, String token, Object body, int timeoutSeconds) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path.substring(1))).timeout(Duration.ofSeconds(timeoutSeconds));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        String json = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body()));
    }
}
