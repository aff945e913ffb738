package org.rlhf4j.host.annotate;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.pf4j.Extension;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.annotate.AnnotationTask;
import org.rlhf4j.api.annotate.Annotator;
import org.rlhf4j.api.annotate.Label;

/**
 * Labels with regex and keyword rules from config ({@code rules.rules}): each answer gets the flags of
 * the rules it matches and is unsafe when an unsafe rule matches; the prompt's findings go to the label's
 * meta ({@code prompt_flags}, {@code prompt_safe}, {@code rules}), which the screening of labelling prompts
 * reads. A rule with a {@code category} also classifies the prompts it matches. It never ranks.
 */
@Extension
@ExtensionName("rules")
public final class RuleAnnotator implements Annotator {

    /** Where a rule looks. */
    enum Target { PROMPT, ANSWER, BOTH }

    /** One rule: a regex and/or keywords. */
    record Rule(String name, Pattern pattern, List<String> keywords, Target target, String flag, boolean unsafe,
                String category) {

        boolean matches(String text) {
            if (pattern != null && pattern.matcher(text).find()) {
                return true;
            }
            String lower = text.toLowerCase(Locale.ROOT);
            return keywords.stream().anyMatch(lower::contains);
        }

        boolean appliesTo(Target t) {
            return target == Target.BOTH || target == t;
        }
    }

    private final List<Rule> rules;

    @Inject
    public RuleAnnotator(@Settings Config settings) {
        this.rules = parse(settings);
    }

    static List<Rule> parse(Config settings) {
        List<Rule> out = new ArrayList<>();
        List<? extends Config> list = settings.getConfigList("rules");
        for (int i = 0; i < list.size(); i++) {
            Config r = list.get(i);
            if (!r.hasPath("name") || !r.hasPath("flag")) {
                throw new ConfigProblem(settings, "rules", "rule " + i + " needs a name and a flag");
            }
            String name = r.getString("name");
            Pattern pattern = null;
            if (r.hasPath("pattern") && !r.getString("pattern").isEmpty()) {
                try {
                    pattern = Pattern.compile(r.getString("pattern"), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
                } catch (PatternSyntaxException e) {
                    throw new ConfigProblem(settings, "rules", "rule " + name + ": not a valid regular expression: "
                            + e.getDescription());
                }
            }
            List<String> keywords = r.hasPath("keywords")
                    ? r.getStringList("keywords").stream().map(k -> k.toLowerCase(Locale.ROOT)).toList() : List.of();
            if (pattern == null && keywords.isEmpty()) {
                throw new ConfigProblem(settings, "rules", "rule " + name + " needs a pattern or keywords");
            }
            Target target;
            String to = r.hasPath("applies-to") ? r.getString("applies-to") : "both";
            try {
                target = Target.valueOf(to.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ConfigProblem(settings, "rules", "rule " + name + ": applies-to must be prompt, answer or both, got '" + to + "'");
            }
            out.add(new Rule(name, pattern, keywords, target, r.getString("flag"), r.hasPath("unsafe") && r.getBoolean("unsafe"),
                    r.hasPath("category") ? r.getString("category") : null));
        }
        return List.copyOf(out);
    }

    @Override
    public List<Label> annotate(List<AnnotationTask> tasks) {
        List<Label> out = new ArrayList<>();
        for (AnnotationTask task : tasks) {
            out.add(label(task));
        }
        return out;
    }

    /** The rules' verdict on one task. */
    Label label(AnnotationTask task) {
        List<List<String>> flags = new ArrayList<>();
        List<Boolean> safe = new ArrayList<>();
        for (String answer : task.answers()) {
            Set<String> f = new LinkedHashSet<>();
            boolean ok = true;
            for (Rule r : rules) {
                if (r.appliesTo(Target.ANSWER) && r.matches(answer)) {
                    f.add(r.flag());
                    ok &= !r.unsafe();
                }
            }
            flags.add(List.copyOf(f));
            safe.add(ok);
        }
        Set<String> promptFlags = new LinkedHashSet<>();
        Set<String> matched = new LinkedHashSet<>();
        boolean promptSafe = true;
        String category = null;
        for (Rule r : rules) {
            if (r.appliesTo(Target.PROMPT) && r.matches(task.prompt())) {
                promptFlags.add(r.flag());
                matched.add(r.name());
                promptSafe &= !r.unsafe();
                if (category == null) {
                    category = r.category();
                }
            }
        }
        Map<String, String> meta = new TreeMap<>();
        meta.put("prompt_flags", String.join(",", promptFlags));
        meta.put("prompt_safe", String.valueOf(promptSafe));
        meta.put("rules", String.join(",", matched));
        return new Label(task.id(), "rules", List.of(), List.of(), flags, safe, category, null, meta);
    }
}
