package org.rlhf4j.host.reward.rules;

import com.typesafe.config.Config;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.rlhf4j.api.ConfigProblem;

/** Reading the rule rewards' settings: numbers that must be finite, patterns that must compile. */
final class RuleSettings {

    private RuleSettings() {
    }

    /** {@code key} as a finite number; NaN or an infinity is a problem of the key. */
    static double finite(Config settings, String key) {
        double v = settings.getDouble(key);
        if (!Double.isFinite(v)) {
            throw new ConfigProblem(settings, key, v + " is not a finite number");
        }
        return v;
    }

    /** {@code regex} compiled; a syntax error is a problem of {@code key}. */
    static Pattern pattern(Config settings, String key, String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new ConfigProblem(settings, key, "the pattern " + regex + " does not compile: " + e.getDescription());
        }
    }
}
