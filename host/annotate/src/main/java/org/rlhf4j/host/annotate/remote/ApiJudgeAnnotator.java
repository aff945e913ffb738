package org.rlhf4j.host.annotate.remote;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.pf4j.Extension;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.RunContext;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.annotate.AnnotationTask;
import org.rlhf4j.api.annotate.Annotator;
import org.rlhf4j.api.annotate.Label;
import org.rlhf4j.api.stage.StageFailure;

/**
 * An LLM judge over HTTP speaking the OpenAI-compatible chat-completions protocol: one request per task
 * (the system prompt and the task kind's template from {@code api-judge.templates}), the reply's JSON read
 * into a label ({@code api:<model>}). Retries with back-off, a rate limit and a reply cache
 * ({@link HttpCaller}, {@link ReplyCache}); tokens and cost are counted per run and logged to the metrics.
 * The key comes from the environment variable {@code api-judge.key-env} and is never logged. An error,
 * a timeout or a malformed reply fails with the task named: no label is invented.
 */
@Extension
@ExtensionName("api-judge")
public final class ApiJudgeAnnotator implements Annotator {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JudgeSettings settings;
    private final HttpCaller caller;
    private final ReplyCache cache;
    private final RunContext run;
    private final String key;
    private long promptTokens;
    private long completionTokens;
    private long calls;

    @Inject
    public ApiJudgeAnnotator(@Settings Config settings, Config config, RunContext run) {
        this(settings, config.getStringList("annotate.flags"), run, System::getenv);
    }

    /** With the environment read through {@code env} (tests hand in their own variables). */
    ApiJudgeAnnotator(Config config, List<String> flags, RunContext run, UnaryOperator<String> env) {
        this.settings = JudgeSettings.from(config, flags);
        this.run = run;
        this.caller = new HttpCaller(URI.create(settings.baseUrl().replaceAll("/+$", "") + "/chat/completions"),
                settings.timeout(), settings.retries(), settings.backoff(), settings.requestsPerMinute());
        this.cache = new ReplyCache(settings.cache() ? run.directory().resolve("annotate-cache/api-judge") : null);
        this.key = settings.keyEnv().isBlank() ? null : env.apply(settings.keyEnv());
        if (!settings.keyEnv().isBlank() && (key == null || key.isBlank())) {
            throw new ConfigProblem(config, "key-env", "the environment variable " + settings.keyEnv()
                    + " holding the API key is not set (set it, or key-env = \"\" for an API without a key)");
        }
    }

    @Override
    public List<Label> annotate(List<AnnotationTask> tasks) throws Exception {
        List<Label> out = new ArrayList<>();
        for (AnnotationTask task : tasks) {
            out.add(judge(task));
        }
        return out;
    }

    /** Tokens and cost so far: prompt_tokens, completion_tokens, cost, calls. */
    public Map<String, Number> usage() {
        return Map.of("prompt_tokens", promptTokens, "completion_tokens", completionTokens, "cost", cost(), "calls", calls);
    }

    private double cost() {
        return promptTokens / 1000.0 * settings.pricePrompt() + completionTokens / 1000.0 * settings.priceCompletion();
    }

    private Label judge(AnnotationTask task) throws Exception {
        String request = request(task);
        String reply = cache.get(request).orElse(null);
        boolean cached = reply != null;
        if (!cached) {
            Map<String, String> headers = new HashMap<>();
            if (key != null) {
                headers.put("Authorization", "Bearer " + key);
            }
            try {
                reply = caller.post(request, headers);
            } catch (HttpCaller.CallFailed e) {
                throw new StageFailure("api-judge: task " + task.id() + ": " + e.getMessage(), e);
            }
        }
        Label label;
        try {
            JsonNode root = JSON.readTree(reply);
            JsonNode content = root.path("choices").path(0).path("message").path("content");
            if (!content.isTextual()) {
                throw new LabelReply.Malformed("no choices[0].message.content in the reply");
            }
            label = LabelReply.read(JSON.readTree(jsonPart(content.asText())), task, "api:" + settings.model());
            if (!cached) {
                count(root.path("usage"));
            }
        } catch (LabelReply.Malformed | JsonProcessingException e) {
            throw new StageFailure("api-judge: task " + task.id() + ": malformed reply (" + e.getMessage() + "): "
                    + HttpCaller.abbreviate(reply) + "; no label was stored for it");
        }
        if (!cached) {
            cache.put(request, reply);
        }
        return label;
    }

    private void count(JsonNode usage) {
        promptTokens += usage.path("prompt_tokens").asLong(0);
        completionTokens += usage.path("completion_tokens").asLong(0);
        calls++;
        run.metrics().log("api-judge", calls, Map.of("prompt_tokens", promptTokens, "completion_tokens", completionTokens,
                "cost", cost()));
    }

    /** The chat-completions request for one task. */
    String request(AnnotationTask task) throws JsonProcessingException {
        String template = settings.templates().get(task.kind().name().toLowerCase(Locale.ROOT));
        StringBuilder answers = new StringBuilder();
        for (int i = 0; i < task.answers().size(); i++) {
            answers.append('[').append(i + 1).append("] ").append(task.answers().get(i)).append("\n\n");
        }
        String user = template.replace("{prompt}", task.prompt()).replace("{answers}", answers.toString().trim())
                .replace("{k}", String.valueOf(task.answers().size())).replace("{flags}", String.join(", ", settings.flags()));
        ObjectNode body = JSON.createObjectNode();
        body.put("model", settings.model());
        var messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", settings.systemPrompt());
        messages.addObject().put("role", "user").put("content", user);
        body.put("temperature", settings.temperature());
        body.put("max_tokens", settings.maxTokens());
        return JSON.writeValueAsString(body);
    }

    /** The JSON object inside a reply that may wrap it in prose or a code fence. */
    static String jsonPart(String content) throws LabelReply.Malformed {
        int start = content.indexOf('{');
        int end = content.lastIndexOf('}');
        if (start < 0 || end < start) {
            throw new LabelReply.Malformed("the answer holds no JSON object");
        }
        return content.substring(start, end + 1);
    }
}
