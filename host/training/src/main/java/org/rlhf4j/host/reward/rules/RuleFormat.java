package org.rlhf4j.host.reward.rules;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.util.List;
import java.util.regex.Pattern;
import org.pf4j.Extension;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.reward.PromptAnswer;
import org.rlhf4j.api.reward.Reward;
import org.rlhf4j.api.reward.RewardModel;

/**
 * A format reward: match-score when the answer contains a match of {@code pattern} (anchor it with ^...$ to demand the
 * whole answer's shape, as TRL's think_format_reward does), miss-score otherwise.
 */
@Extension
@ExtensionName("rule-format")
public final class RuleFormat implements RewardModel {

    private final Pattern pattern;
    private final double match;
    private final double miss;

    @Inject
    public RuleFormat(@Settings Config settings) {
        this.pattern = RuleSettings.pattern(settings, "pattern", settings.getString("pattern"));
        this.match = RuleSettings.finite(settings, "match-score");
        this.miss = RuleSettings.finite(settings, "miss-score");
    }

    @Override
    public List<Reward> score(List<PromptAnswer> batch) {
        return batch.stream().map(pa -> Reward.of(pattern.matcher(pa.answer()).find() ? match : miss)).toList();
    }
}
