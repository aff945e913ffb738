package org.rlhf4j.host.annotate.remote;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rlhf4j.api.ConfigProblem;

/** The {@code api-judge} block (host/annotate reference.conf), checked. {@code flags} come from {@code annotate.flags}. */
record JudgeSettings(String baseUrl, String model, String keyEnv, String systemPrompt, Map<String, String> templates,
                     double temperature, int maxTokens, Duration timeout, int retries, Duration backoff,
                     int requestsPerMinute, boolean cache, double pricePrompt, double priceCompletion, List<String> flags) {

    static JudgeSettings from(Config c, List<String> flags) {
        String baseUrl = c.getString("base-url");
        if (!baseUrl.matches("https?://.+")) {
            throw new ConfigProblem(c, "base-url", "the judge's base URL (http:// or https://, e.g. .../v1) is required, got '"
                    + baseUrl + "'");
        }
        String model = c.getString("model");
        if (model.isBlank()) {
            throw new ConfigProblem(c, "model", "the model name to send is required");
        }
        Map<String, String> templates = new TreeMap<>();
        for (String kind : List.of("rank", "safety", "compare", "classify", "edit")) {
            templates.put(kind, c.getString("templates." + kind));
        }
        int retries = c.getInt("retries");
        int rpm = c.getInt("requests-per-minute");
        if (retries < 0 || rpm < 0) {
            throw new ConfigProblem(c, retries < 0 ? "retries" : "requests-per-minute", "must be 0 or more");
        }
        Duration timeout = c.getDuration("timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new ConfigProblem(c, "timeout", "must be more than 0s");
        }
        return new JudgeSettings(baseUrl, model, c.getString("key-env"), c.getString("system-prompt"), templates,
                c.getDouble("temperature"), c.getInt("max-tokens"), timeout, retries, c.getDuration("backoff"), rpm,
                c.getBoolean("cache"), c.getDouble("price-per-1k-prompt-tokens"), c.getDouble("price-per-1k-completion-tokens"),
                List.copyOf(flags));
    }
}
