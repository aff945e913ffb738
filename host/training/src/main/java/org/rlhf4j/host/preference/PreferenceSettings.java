package org.rlhf4j.host.preference;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.host.trainer.TrainSettings;

/**
 * The keys of one preference block ({@code preference}, or a variant of it), checked when the stage is built.
 *
 * <p>Variants: {@code preference.variants.<label>} is a block of keys laid over {@code preference} for the
 * stage entry {@code preference#<label>} in {@code run.stages}, so that one run trains several losses side
 * by side ({@code preference#dpo}, {@code preference#simpo} ...). An entry whose label has no such block, and
 * the plain entry {@code preference}, use {@code preference} itself.
 *
 * @param block the resolved block, for the input keys ({@code input}, {@code files}, {@code sources},
 *     {@code held-out}) that {@link org.rlhf4j.host.records.StageInputs} reads
 * @param init the checkpoint to start from, relative to the run directory or absolute
 * @param heldOutFraction share of the prompt groups held out when {@code held-out} is empty
 * @param maxLength tokens of prompt and answer together; 0 for the model's context
 * @param promptShare the share of {@code maxLength} a truncated prompt keeps (its end)
 * @param train the optimisation keys
 */
record PreferenceSettings(Config block, String init, double heldOutFraction, int maxLength, double promptShare,
                          TrainSettings train) {

    static PreferenceSettings from(Config c) {
        double h = c.getDouble("held-out-fraction");
        if (h <= 0 || h >= 1) {
            throw new ConfigProblem(c, "held-out-fraction", "must be between 0 and 1, got " + h);
        }
        int maxLength = c.getInt("max-length");
        if (maxLength < 0 || maxLength == 1) {
            throw new ConfigProblem(c, "max-length", "must be 0 (the model's context) or at least 2, got " + maxLength);
        }
        double share = c.getDouble("prompt-share");
        if (share <= 0 || share >= 1) {
            throw new ConfigProblem(c, "prompt-share", "must be between 0 and 1, got " + share);
        }
        c.getStringList("files");       // checked here, read when the stage runs
        c.getConfigList("sources");
        c.getConfigList("held-out");
        return new PreferenceSettings(c, c.getString("init"), h, maxLength, share, TrainSettings.from(c));
    }

    /** The blocks of every variant by label, each laid over {@code base}. */
    static Map<String, Config> variants(Config base) {
        Map<String, Config> out = new LinkedHashMap<>();
        ConfigObject all = base.getObject("variants");
        for (Map.Entry<String, ConfigValue> e : all.entrySet()) {
            if (e.getValue().valueType() != ConfigValueType.OBJECT) {
                throw new ConfigProblem(base, "variants", "variants." + e.getKey() + " must be a block of preference keys"
                        + " (e.g. { loss = colossal.simpo }), got " + e.getValue().valueType().name().toLowerCase());
            }
            out.put(e.getKey(), ((ConfigObject) e.getValue()).toConfig().withFallback(base));
        }
        return out;
    }

    /** The label of a stage entry ({@code preference#dpo} gives {@code dpo}), or null for a plain entry. */
    static String label(String stage) {
        int hash = stage.indexOf('#');
        return hash < 0 ? null : stage.substring(hash + 1);
    }

    /** The extension's own name of a stage entry ({@code preference#dpo} gives {@code preference}). */
    static String baseName(String stage) {
        int hash = stage.indexOf('#');
        return hash < 0 ? stage : stage.substring(0, hash);
    }
}
