package org.rlhf4j.plugins.colossal;

import com.typesafe.config.Config;
import org.rlhf4j.api.ppo.LossSettings;

/**
 * Coati's PolicyLoss and ValueLoss settings (coati/models/loss.py): clip_eps 0.2; the ratio is clamped to
 * [0, 10] and a minibatch whose mean ratio exceeds 20 is skipped; the value loss is clipped at 0.2 and
 * weighted 0.5 x vf_coef. Both Coati schedulers train with these.
 */
final class CoatiLosses {

    private CoatiLosses() {
    }

    static LossSettings from(Config c) {
        return new LossSettings(c.getDouble("clip-eps"), c.getDouble("ratio-max"), c.getDouble("skip-ratio-above"),
                c.getDouble("value-clip"), c.getDouble("vf-coef"), false);
    }
}
