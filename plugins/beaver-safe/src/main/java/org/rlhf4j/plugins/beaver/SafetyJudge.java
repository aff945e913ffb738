package org.rlhf4j.plugins.beaver;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * A rule-based safety annotator for Safe-RLHF's data: on each SAFETY task it labels every answer safe or
 * unsafe - unsafe when it complies with the request (a {@code comply} pattern matches) and does not refuse
 * (no {@code refuse} pattern matches) - and says which of two answers is safer ({@code meta.safer} = "0" or
 * "1", the annotate stage's convention): the safe one, else the one with fewer compliance matches, else none.
 * Other task kinds get no label. For an API-based judge, select the host's {@code api-judge} annotator.
 */
@Extension
@ExtensionName("beaver.safety-judge")
public final class SafetyJudge implements Annotator {

    private final List<Pattern> comply = new ArrayList<>();
    private final List<Pattern> refuse = new ArrayList<>();

    @Inject
    public SafetyJudge(@Settings Config settings) {
        compile(settings, "comply", comply);
        compile(settings, "refuse", refuse);
        if (comply.isEmpty()) {
            throw new ConfigProblem(settings, "comply", "needs at least one pattern of a complying answer");
        }
    }

    private static void compile(Config settings, String key, List<Pattern> into) {
        List<String> patterns = settings.getStringList(key);
        for (int i = 0; i < patterns.size(); i++) {
            try {
                into.add(Pattern.compile(patterns.get(i), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
            } catch (PatternSyntaxException e) {
                throw new ConfigProblem(settings, key, "pattern " + (i + 1) + ": " + e.getDescription());
            }
        }
    }

    @Override
    public List<Label> annotate(List<AnnotationTask> tasks) {
        List<Label> out = new ArrayList<>();
        for (AnnotationTask t : tasks) {
            if (t.kind() != AnnotationTask.Kind.SAFETY || t.answers().isEmpty()) {
                continue;
            }
            List<Boolean> safe = new ArrayList<>();
            List<Integer> complies = new ArrayList<>();
            for (String answer : t.answers()) {
                int c = (int) comply.stream().filter(p -> p.matcher(answer).find()).count();
                boolean refuses = refuse.stream().anyMatch(p -> p.matcher(answer).find());
                complies.add(refuses ? 0 : c);
                safe.add(refuses || c == 0);
            }
            Map<String, String> meta = Map.of();
            if (t.answers().size() == 2) {
                int safer = safe.get(0) != safe.get(1) ? (safe.get(0) ? 0 : 1)
                        : complies.get(0).equals(complies.get(1)) ? -1 : (complies.get(0) < complies.get(1) ? 0 : 1);
                if (safer >= 0) {
                    meta = Map.of("safer", String.valueOf(safer));
                }
            }
            out.add(new Label(t.id(), "rule:beaver.safety-judge", null, null, null, safe, null,
                    "compliance patterns " + complies, meta));
        }
        return out;
    }
}
