package org.rlhf4j.host.evaluate;

import com.typesafe.config.Config;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.host.model.Generator;

/**
 * The {@code evaluate} block (rlhf4j/evaluate.conf), checked. Every instance ({@code evaluate#sft},
 * {@code evaluate#ppo} ...) reads the same block; its label picks the checkpoint and the previous model. The
 * evaluation set's {@code input}, {@code files} and {@code sources} are read by StageInputs when the stage runs.
 *
 * @param categories the categories the evaluation set must cover (empty: classify.categories)
 * @param checkpoints label to checkpoint folder, for labels that do not use {@code checkpoints/<label>}
 * @param previous label to the label of the model it is compared with
 */
public record EvaluateSettings(List<String> categories, int minPerCategory,
                               int maxPerCategory, Map<String, String> checkpoints, Map<String, String> previous,
                               String rewardModel, String costModel, boolean rewardJudge, boolean humans,
                               double tieMargin, int weakest, int reasons, int batchSize, Generator.Settings generate) {

    public static EvaluateSettings from(Config c) {
        for (String key : List.of("min-per-category", "weakest", "batch-size")) {
            if (c.getInt(key) < 1) {
                throw new ConfigProblem(c, key, "must be at least 1, got " + c.getInt(key));
            }
        }
        for (String key : List.of("max-per-category", "reasons")) {
            if (c.getInt(key) < 0) {
                throw new ConfigProblem(c, key, "must be 0 or more, got " + c.getInt(key));
            }
        }
        if (c.getInt("max-per-category") > 0 && c.getInt("max-per-category") < c.getInt("min-per-category")) {
            throw new ConfigProblem(c, "max-per-category", "is below min-per-category (" + c.getInt("min-per-category") + ")");
        }
        double tie = c.getDouble("tie-margin");
        if (tie < 0 || !Double.isFinite(tie)) {
            throw new ConfigProblem(c, "tie-margin", "must be 0 or more, got " + tie);
        }
        // read here so a wrong type fails before any stage runs; StageInputs reads them when the stage runs
        c.getString("input");
        c.getStringList("files");
        c.getConfigList("sources");
        c.getStringList("judges.annotators");
        return new EvaluateSettings(c.getStringList("categories"),
                c.getInt("min-per-category"), c.getInt("max-per-category"), strings(c, "checkpoints"), strings(c, "previous"),
                c.getString("reward-model"), c.getString("cost-model"), c.getBoolean("judges.reward-model"),
                c.getBoolean("judges.humans"), tie, c.getInt("weakest"), c.getInt("reasons"), c.getInt("batch-size"),
                Generator.Settings.from(c.getConfig("generate")));
    }

    /** The checkpoint folder of {@code label}, relative to the run directory unless absolute. */
    public String checkpoint(String label) {
        return checkpoints.getOrDefault(label, "checkpoints/" + label);
    }

    private static Map<String, String> strings(Config c, String key) {
        Map<String, String> out = new LinkedHashMap<>();
        Config block = c.getConfig(key);
        for (String k : block.root().keySet()) {
            String v = String.valueOf(block.root().get(k).unwrapped());
            if (v.isBlank()) {
                throw new ConfigProblem(c, key + "." + k, "must name a label or a folder, got an empty string");
            }
            out.put(k, v);
        }
        return Map.copyOf(out);
    }
}
