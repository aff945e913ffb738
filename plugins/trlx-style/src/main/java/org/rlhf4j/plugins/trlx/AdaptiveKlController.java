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
 * TrlX's AdaptiveKLController (Ziegler et al. 2019), CarperAI/trlx 3340c2f trlx/models/modeling_ppo.py:35-53:
 * <pre>
 *   e    = clip(KL / target - 1, -0.2, 0.2)
 *   beta = beta * (1 + e * n_steps / horizon)
 * </pre>
 * TrlX calls it from post_backward_callback (accelerate_ppo_trainer.py:227-228) once after every PPO epoch
 * (accelerate_base_trainer.py:554-649), with n_steps = train.batch_size and the KL of the last rollout
 * ({@code mean_kl}, accelerate_ppo_trainer.py:457-460, 520: over prompt and answer, {@link #observesPrompt}). Here {@link #update(double, int, int, int)} replays that:
 * {@code epochs} updates with n_steps = the minibatch, which is exact as the coefficient is read only when the
 * next rollout's rewards are built. Selected only when TrlX's {@code target} is set (accelerate_ppo_trainer.py:81-84;
 * the default None is the fixed controller), so {@code target} is required here.
 */
@Extension
@ExtensionName("trlx.adaptive-kl")
public final class AdaptiveKlController implements KlController {

    record AdaptiveKlSettings(double initKlCoef, double target, double horizon) {
        static AdaptiveKlSettings from(Config c) {
            if (!c.hasPath("target")) {
                throw new ConfigProblem(c, "target", "is required: the KL the controller steers to, e.g. 6.0 (TrlX's "
                        + "default None means the fixed controller at init_kl_coef: ppo.kl-controller = fixed)");
            }
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

    /** TrlX's mean_kl sums the prompt's tokens too (accelerate_ppo_trainer.py:457-460). */
    @Override
    public boolean observesPrompt() {
        return true;
    }

    /** TrlX's post_backward_callback after each of the {@code epochs} PPO epochs: n_steps = the minibatch (train.batch_size). */
    @Override
    public void update(double observedKl, int rolloutSize, int epochs, int minibatch) {
        for (int epoch = 0; epoch < epochs; epoch++) {
            update(observedKl, minibatch);
        }
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
