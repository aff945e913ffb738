package org.rlhf4j.host.reward.rules;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.pf4j.Extension;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.reward.PromptAnswer;
import org.rlhf4j.api.reward.Reward;
import org.rlhf4j.api.reward.RewardModel;
import org.rlhf4j.host.reward.AnswerFailure;

/**
 * A length penalty on the answer's length L (characters, or tokens: the answer's token pieces, the stop token
 * included): {@code -coef * max(0, L - target)}. Meant as a part of {@code composite-reward}. (DAPO's soft overlong
 * punishment, TRL's {@code get_soft_overlong_punishment}, is a related ramp to -1 at a maximum length; this is the
 * plain linear one.)
 */
@Extension
@ExtensionName("rule-length")
public final class RuleLength implements RewardModel {

    private final boolean tokens;
    private final double target;
    private final double coef;

    @Inject
    public RuleLength(@Settings Config settings) {
        String unit = settings.getString("unit");
        if (!unit.equals("chars") && !unit.equals("tokens")) {
            throw new ConfigProblem(settings, "unit", "'" + unit + "' is not one of: chars, tokens");
        }
        this.tokens = unit.equals("tokens");
        this.target = RuleSettings.finite(settings, "target");
        this.coef = RuleSettings.finite(settings, "coef");
        if (target < 0 || coef < 0) {
            throw new ConfigProblem(settings, target < 0 ? "target" : "coef", "must not be negative");
        }
    }

    @Override
    public List<Reward> score(List<PromptAnswer> batch) {
        List<Reward> out = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            PromptAnswer pa = batch.get(i);
            if (tokens && pa.answerTokens().isEmpty() && !pa.answer().isEmpty()) {
                throw new AnswerFailure(i, "rule-length: unit = tokens, but the answer came without its tokens (use unit = chars)");
            }
            long length = tokens ? pa.answerTokens().size() : pa.answer().codePointCount(0, pa.answer().length());
            out.add(Reward.of(-coef * Math.max(0, length - target)));
        }
        return out;
    }
}
