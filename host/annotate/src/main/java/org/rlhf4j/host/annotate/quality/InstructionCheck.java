package org.rlhf4j.host.annotate.quality;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.rlhf4j.api.ConfigProblem;

/**
 * Finds contradictory, leading or ambiguous wording in what annotators would be shown (the prompt and the
 * task's own instructions), from the rules of {@code annotate.screening.instruction-rules}.
 */
public final class InstructionCheck {

    /** The kinds of misleading wording. */
    public enum Kind { CONTRADICTORY, LEADING, AMBIGUOUS }

    /** One wording rule. */
    public record Rule(String name, Kind kind, Pattern pattern) {
    }

    /** A rule that matched, with the text it matched. */
    public record Finding(String rule, Kind kind, String matched) {
        @Override
        public String toString() {
            return kind.name().toLowerCase(Locale.ROOT) + " wording (" + rule + "): \"" + matched + "\"";
        }
    }

    private final List<Rule> rules;

    public InstructionCheck(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** Reads the rule list at {@code key}, failing with the key on an unknown kind or a bad regex. */
    public static InstructionCheck from(Config settings, String key) {
        List<Rule> rules = new ArrayList<>();
        List<? extends Config> list = settings.getConfigList(key);
        for (int i = 0; i < list.size(); i++) {
            Config r = list.get(i);
            if (!r.hasPath("name") || !r.hasPath("kind") || !r.hasPath("pattern")) {
                throw new ConfigProblem(settings, key, "rule " + i + " needs name, kind and pattern");
            }
            Kind kind;
            try {
                kind = Kind.valueOf(r.getString("kind").toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ConfigProblem(settings, key, "rule " + r.getString("name") + ": kind must be contradictory,"
                        + " leading or ambiguous, got '" + r.getString("kind") + "'");
            }
            try {
                rules.add(new Rule(r.getString("name"), kind, Pattern.compile(r.getString("pattern"),
                        Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL)));
            } catch (PatternSyntaxException e) {
                throw new ConfigProblem(settings, key, "rule " + r.getString("name") + ": not a valid regular expression: "
                        + e.getDescription());
            }
        }
        return new InstructionCheck(rules);
    }

    /** Every rule that matches {@code text}. */
    public List<Finding> check(String text) {
        List<Finding> out = new ArrayList<>();
        for (Rule r : rules) {
            var m = r.pattern().matcher(text);
            if (m.find()) {
                out.add(new Finding(r.name(), r.kind(), m.group()));
            }
        }
        return out;
    }
}
