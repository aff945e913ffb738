package org.rlhf4j.plugins.trlx;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.util.Map;
import org.pf4j.Extension;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.ppo.KlController;

/**
 * TrlX's AdaptiveKLController (Ziegler et al. 2019), trlx/models/modeling_ppo.py:
 * <pre>
 *   e    = clip(KL / target - 1, -0.2, 0.2)
 *   beta = beta * (1 + e * n_steps / horizon)
 * </pre>
 * fed once per step with the mean over sequences of each sequence's summed KL and n_steps = the batch size.
 */
@Extension
@ExtensionName("trlx.adaptive-kl")
public final class AdaptiveKlController implements KlController {

    record AdaptiveKlSettings(double initKlCoef, double target, double horizon) {
        static AdaptiveKlSettings from(Config c) {
            AdaptiveKlSettings s = new AdaptiveKlSettings(c.getDouble("init-kl-coef"), c.getDouble("target"), c.getDouble("horizon"));
            if (s.target <= 0) {
                throw new ConfigProblem(c, "target", "the KL target must be > 0 (use the fixed controller for a constant coefficient)");
            }
            if (s.horizon <= 0) {
                throw new ConfigProblem(c, "horizon", "must be > 0");
            }
            return s;
        }
    }

    private final AdaptiveKlSettings settings;
    private double value;

    @Inject
    public AdaptiveKlController(@Settings Config settings) {
        this.settings = AdaptiveKlSettings.from(settings);
        this.value = this.settings.initKlCoef();
    }

    @Override
    public double coefficient() {
        return value;
    }

    @Override
    public void update(double observedKl, int nSteps) {
        double error = Math.max(-0.2, Math.min(0.2, observedKl / settings.target() - 1));
        value *= 1 + error * nSteps / settings.horizon();
    }

    @Override
    public Map<String, Double> state() {
        return Map.of("value", value);
    }

    @Override
    public void restore(Map<String, Double> state) {
        value = state.get("value");
    }
}
