package org.rlhf4j.host.annotate.remote;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pf4j.Extension;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.annotate.AnnotationTask;
import org.rlhf4j.api.annotate.Annotator;
import org.rlhf4j.api.annotate.Label;
import org.rlhf4j.api.stage.StageFailure;

/**
 * Any other HTTP labelling service (an NLP classifier, a moderation endpoint ...): the request body is the
 * {@code http-service.request} template with {@code {{id}}}, {@code {{kind}}}, {@code {{prompt}}},
 * {@code {{answers}}} and {@code {{category}}} filled in as JSON values; the label's fields are read from
 * the reply at the JSON pointers of {@code http-service.response} (scores, higher is better, become ranks).
 * Labels carry {@code service:<name>}. An error or a reply without the mapped fields fails naming the task.
 */
@Extension
@ExtensionName("http-service")
public final class HttpServiceAnnotator implements Annotator {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FIELDS = List.of("ranks", "scores", "ratings", "safe", "category", "reason");

    private final String name;
    private final String template;
    private final Map<String, String> pointers = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final HttpCaller caller;

    @Inject
    public HttpServiceAnnotator(@Settings Config settings) {
        String url = settings.getString("url");
        if (!url.matches("https?://.+")) {
            throw new ConfigProblem(settings, "url", "the service's URL (http:// or https://) is required, got '" + url + "'");
        }
        this.name = settings.getString("name");
        this.template = settings.getString("request");
        for (String f : FIELDS) {
            String p = settings.getString("response." + f);
            if (!p.isEmpty() && !p.startsWith("/")) {
                throw new ConfigProblem(settings, "response." + f, "a JSON pointer starts with '/', got '" + p + "'");
            }
            pointers.put(f, p);
        }
        settings.getConfig("headers").entrySet().forEach(e -> headers.put(e.getKey(), e.getValue().unwrapped().toString()));
        String keyEnv = settings.getString("key-env");
        if (!keyEnv.isBlank()) {
            String key = System.getenv(keyEnv);
            if (key == null || key.isBlank()) {
                throw new ConfigProblem(settings, "key-env", "the environment variable " + keyEnv + " is not set");
            }
            headers.put("Authorization", "Bearer " + key);
        }
        this.caller = new HttpCaller(URI.create(url), settings.getDuration("timeout"), settings.getInt("retries"),
                settings.getDuration("backoff"), settings.getInt("requests-per-minute"));
    }

    @Override
    public List<Label> annotate(List<AnnotationTask> tasks) throws Exception {
        List<Label> out = new ArrayList<>();
        for (AnnotationTask t : tasks) {
            String reply;
            try {
                reply = caller.post(body(t), headers);
            } catch (HttpCaller.CallFailed e) {
                throw new StageFailure("http-service " + name + ": task " + t.id() + ": " + e.getMessage(), e);
            }
            try {
                out.add(LabelReply.read(map(JSON.readTree(reply), t.answers().size()), t, "service:" + name));
            } catch (LabelReply.Malformed | JsonProcessingException e) {
                throw new StageFailure("http-service " + name + ": task " + t.id() + ": malformed reply (" + e.getMessage()
                        + "): " + HttpCaller.abbreviate(reply) + "; no label was stored for it");
            }
        }
        return out;
    }

    /** The request body for one task. */
    String body(AnnotationTask t) throws JsonProcessingException {
        ArrayNode answers = JSON.createArrayNode();
        t.answers().forEach(answers::add);
        return template.replace("{{id}}", JSON.writeValueAsString(t.id()))
                .replace("{{kind}}", JSON.writeValueAsString(t.kind().name().toLowerCase(Locale.ROOT)))
                .replace("{{prompt}}", JSON.writeValueAsString(t.prompt()))
                .replace("{{answers}}", JSON.writeValueAsString(answers))
                .replace("{{category}}", JSON.writeValueAsString(t.meta().getOrDefault("category", "")));
    }

    /** The label fields the pointers select, as one object; scores become ranks (1 = highest score). */
    private ObjectNode map(JsonNode reply, int k) throws LabelReply.Malformed {
        ObjectNode o = JSON.createObjectNode();
        for (Map.Entry<String, String> e : pointers.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            JsonNode v = reply.at(e.getValue());
            if (v.isMissingNode()) {
                throw new LabelReply.Malformed("nothing at " + e.getValue() + " (response." + e.getKey() + ")");
            }
            o.set(e.getKey(), v);
        }
        if (o.has("scores") && !o.has("ranks")) {
            JsonNode s = o.remove("scores");
            if (!s.isArray() || s.size() != k) {
                throw new LabelReply.Malformed("scores must list one number per answer (" + k + ")");
            }
            ArrayNode ranks = o.putArray("ranks");
            for (JsonNode mine : s) {
                if (!mine.isNumber()) {
                    throw new LabelReply.Malformed("scores holds " + mine + ", not a number");
                }
                int better = 0;
                for (JsonNode other : s) {
                    better += other.asDouble() > mine.asDouble() ? 1 : 0;
                }
                ranks.add(better + 1);
            }
        }
        o.remove("scores");
        return o;
    }
}
