package org.rlhf4j.host.ppo;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.util.Map;
import org.pf4j.Extension;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.ppo.KlController;

/**
 * A constant KL coefficient (DeepSpeed-Chat's kl_ctl = 0.1; TrlX's init_kl_coef when target is None).
 * Settings: {@code fixed.coefficient}.
 */
@Extension
@ExtensionName("fixed")
public final class FixedKlController implements KlController {

    private final double coefficient;

    @Inject
    public FixedKlController(@Settings Config settings) {
        this.coefficient = settings.getDouble("coefficient");
        if (coefficient < 0 || Double.isNaN(coefficient)) {
            throw new ConfigProblem(settings, "coefficient", "the KL coefficient must be >= 0, got " + coefficient);
        }
    }

    @Override
    public double coefficient() {
        return coefficient;
    }

    @Override
    public void update(double observedKl, int nSteps) {
        // Fixed: the observation changes nothing.
    }

    @Override
    public Map<String, Double> state() {
        return Map.of("coefficient", coefficient);
    }

    @Override
    public void restore(Map<String, Double> state) {
        // Nothing to restore: the coefficient comes from config.
    }
}
