package org.rlhf4j.plugins.beaver;

import com.typesafe.config.Config;
import org.rlhf4j.api.ConfigProblem;

/** The PPO constants Safe-RLHF uses on both the reward and the cost side. */
record BeaverPpoSettings(double clipRangeScore, double clipRangeRatio, double clipRangeValue, double gamma, double lambda) {

    static BeaverPpoSettings from(Config c) {
        BeaverPpoSettings s = new BeaverPpoSettings(c.getDouble("clip-range-score"), c.getDouble("clip-range-ratio"),
                c.getDouble("clip-range-value"), c.getDouble("gamma"), c.getDouble("gae-lambda"));
        if (s.clipRangeScore <= 0) {
            throw new ConfigProblem(c, "clip-range-score", "must be > 0");
        }
        return s;
    }
}
