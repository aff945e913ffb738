package org.rlhf4j.plugins.trlx;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.pf4j.Extension;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.reward.PromptAnswer;
import org.rlhf4j.api.reward.Reward;
import org.rlhf4j.api.reward.RewardModel;

/**
 * A TrlX-style reward function written as rules, so PPO can run with no learned reward model at all
 * (TrlX's {@code reward_fn(samples, prompts, outputs, **metadata)}). The score of an answer is the sum of the
 * scores of the rules whose pattern it contains. With {@code per-token = true} each rule's score also goes
 * to every answer token whose text matches the pattern, as TrlX's per-token reward lists do.
 */
@Extension
@ExtensionName("trlx.rule-reward")
public final class RuleReward implements RewardModel {

    /** One rule: a regular expression and its score. */
    record Rule(Pattern pattern, double score) {
    }

    private final List<Rule> rules = new ArrayList<>();
    private final boolean perToken;

    @Inject
    public RuleReward(@Settings Config settings) {
        List<? extends Config> list = settings.getConfigList("rules");
        if (list.isEmpty()) {
            throw new ConfigProblem(settings, "rules", "needs at least one { pattern = \"...\", score = 1.0 }");
        }
        for (int i = 0; i < list.size(); i++) {
            try {
                rules.add(new Rule(Pattern.compile(list.get(i).getString("pattern")), list.get(i).getDouble("score")));
            } catch (PatternSyntaxException e) {
                throw new ConfigProblem(settings, "rules", "rule " + (i + 1) + ": " + e.getDescription());
            }
        }
        this.perToken = settings.getBoolean("per-token");
    }

    @Override
    public List<Reward> score(List<PromptAnswer> batch) {
        List<Reward> out = new ArrayList<>();
        for (PromptAnswer pa : batch) {
            double score = 0;
            for (Rule r : rules) {
                score += r.pattern().matcher(pa.answer()).find() ? r.score() : 0;
            }
            float[] tokens = null;
            if (perToken) {
                tokens = new float[pa.answerTokens().size()];
                for (int t = 0; t < tokens.length; t++) {
                    for (Rule r : rules) {
                        tokens[t] += r.pattern().matcher(pa.answerTokens().get(t)).find() ? (float) r.score() : 0f;
                    }
                }
            }
            out.add(new Reward(score, tokens));
        }
        return out;
    }
}
