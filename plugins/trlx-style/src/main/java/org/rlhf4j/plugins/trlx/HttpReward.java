package org.rlhf4j.plugins.trlx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.pf4j.Extension;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.reward.PromptAnswer;
import org.rlhf4j.api.reward.Reward;
import org.rlhf4j.api.reward.RewardModel;

/**
 * A reward function behind HTTP - a product team's own scorer - as TrlX lets any function be the reward.
 * POSTs {@code {"samples": [{"prompt", "answer", "meta", "tokens"}]}} to {@code url} and reads
 * {@code {"scores": [..]}} (one number per answer) and optionally {@code "token_scores": [[..], ..]}
 * (one number per answer token). A failed request, a non-2xx status or a malformed reply is an error naming
 * the url and what was wrong: never a made-up reward. The key, if any, comes from an environment variable.
 */
@Extension
@ExtensionName("trlx.http-reward")
public final class HttpReward implements RewardModel {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI url;
    private final Duration timeout;
    private final String key;
    private final HttpClient client;

    @Inject
    public HttpReward(@Settings Config settings) {
        String u = settings.getString("url");
        if (u.isBlank()) {
            throw new ConfigProblem(settings, "url", "the scoring service's URL is not set");
        }
        this.url = URI.create(u);
        this.timeout = settings.getDuration("timeout");
        String env = settings.getString("key-env");
        this.key = env.isBlank() ? null : System.getenv(env);
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public List<Reward> score(List<PromptAnswer> batch) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode samples = body.putArray("samples");
        for (PromptAnswer pa : batch) {
            ObjectNode s = samples.addObject().put("prompt", pa.prompt()).put("answer", pa.answer());
            s.set("meta", JSON.valueToTree(pa.meta()));
            s.set("tokens", JSON.valueToTree(pa.answerTokens()));
        }
        HttpRequest.Builder req = HttpRequest.newBuilder(url).timeout(timeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (key != null) {
            req.header("Authorization", "Bearer " + key);
        }
        HttpResponse<String> res = client.send(req.build(), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() / 100 != 2) {
            throw new IOException(url + " answered " + res.statusCode() + ": " + excerpt(res.body()));
        }
        JsonNode reply;
        try {
            reply = JSON.readTree(res.body());
        } catch (IOException e) {
            throw new IOException(url + " sent a reply that is not JSON: " + excerpt(res.body()));
        }
        JsonNode scores = reply.path("scores");
        if (!scores.isArray() || scores.size() != batch.size()) {
            throw new IOException(url + " sent " + (scores.isArray() ? scores.size() + " scores" : "no \"scores\" array")
                    + " for " + batch.size() + " answers");
        }
        JsonNode tokens = reply.path("token_scores");
        List<Reward> out = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            if (!scores.get(i).isNumber()) {
                throw new IOException(url + ": score " + i + " is not a number: " + scores.get(i));
            }
            float[] perToken = null;
            if (tokens.isArray()) {
                JsonNode row = tokens.get(i);
                perToken = new float[row == null ? 0 : row.size()];
                for (int t = 0; t < perToken.length; t++) {
                    perToken[t] = (float) row.get(t).asDouble();
                }
            }
            out.add(new Reward(scores.get(i).asDouble(), perToken));
        }
        return out;
    }

    private static String excerpt(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
