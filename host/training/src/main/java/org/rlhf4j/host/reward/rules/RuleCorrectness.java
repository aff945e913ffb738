package org.rlhf4j.host.reward.rules;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.pf4j.Extension;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.reward.PromptAnswer;
import org.rlhf4j.api.reward.Reward;
import org.rlhf4j.api.reward.RewardModel;
import org.rlhf4j.host.answers.AnswerCheck;
import org.rlhf4j.host.reward.AnswerFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A verifiable reward: correct-score when the answer gives the prompt's expected answer (its metadata field, e.g.
 * {@code meta-fields = [expected]} of a source), wrong-score otherwise, by {@link AnswerCheck} (the check evaluation
 * uses). A prompt without an expected answer fails naming its record, or with {@code missing-expected = skip} scores 0
 * and is counted in a warning.
 */
@Extension
@ExtensionName("rule-correctness")
public final class RuleCorrectness implements RewardModel {

    private static final Logger log = LoggerFactory.getLogger(RuleCorrectness.class);

    private final AnswerCheck check;
    private final String field;
    private final double correct;
    private final double wrong;
    private final boolean skipMissing;
    private int skipped;
    private int scored;

    @Inject
    public RuleCorrectness(@Settings Config settings) {
        this.check = new AnswerCheck(choice(settings, "mode", AnswerCheck.Mode.class), choice(settings, "look-in", AnswerCheck.LookIn.class),
                tags(settings));
        this.field = settings.getString("expected-field");
        this.correct = RuleSettings.finite(settings, "correct-score");
        this.wrong = RuleSettings.finite(settings, "wrong-score");
        String missing = settings.getString("missing-expected");
        if (!missing.equals("fail") && !missing.equals("skip")) {
            throw new ConfigProblem(settings, "missing-expected", "'" + missing + "' is not one of: fail, skip");
        }
        this.skipMissing = missing.equals("skip");
    }

    @Override
    public List<Reward> score(List<PromptAnswer> batch) {
        List<Reward> out = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            PromptAnswer pa = batch.get(i);
            String expected = pa.meta().get(field);
            scored++;
            if (expected == null || expected.isBlank()) {
                if (!skipMissing) {
                    throw new AnswerFailure(i, "rule-correctness: the prompt has no meta." + field + " (the expected answer):"
                            + " add it to the record (a source's meta-fields), or set rule-correctness.missing-expected = skip");
                }
                if (skipped++ == 0) {
                    log.warn("rule-correctness: a prompt with no meta.{} scores 0 (missing-expected = skip): \"{}\"", field, pa.prompt());
                }
                out.add(Reward.of(0));
                continue;
            }
            try {
                out.add(Reward.of(check.correct(pa.answer(), expected) ? correct : wrong));
            } catch (IllegalArgumentException e) {
                throw new AnswerFailure(i, "rule-correctness: " + e.getMessage());
            }
        }
        return out;
    }

    /** How many answers had no expected answer and scored 0 (missing-expected = skip). */
    public int skipped() {
        return skipped;
    }

    @Override
    public void close() {
        if (skipped > 0) {
            log.warn("rule-correctness: {} of {} answers had no meta.{} and scored 0 (missing-expected = skip)", skipped, scored, field);
        }
    }

    static <E extends Enum<E>> E choice(Config settings, String key, Class<E> type) {
        String v = settings.getString(key);
        for (E e : type.getEnumConstants()) {
            if (e.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(v)) {
                return e;
            }
        }
        List<String> known = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            known.add(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        throw new ConfigProblem(settings, key, "'" + v + "' is not one of: " + String.join(", ", known));
    }

    private static List<Pattern> tags(Config settings) {
        List<Pattern> out = new ArrayList<>();
        for (String t : settings.getStringList("tags")) {
            Pattern p = RuleSettings.pattern(settings, "tags", t);
            if (p.matcher("").groupCount() < 1) {
                throw new ConfigProblem(settings, "tags", "the pattern " + t + " has no group: group 1 must be the answer");
            }
            out.add(p);
        }
        return out;
    }
}
