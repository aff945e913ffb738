package org.rlhf4j.host.classify;

import com.typesafe.config.Config;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.rlhf4j.api.ConfigProblem;

/**
 * The task categories of a run and the mapping of other datasets' labels onto them: a label is
 * normalised (Unicode NFKC, which turns BELLE's no-break space in "closed qa" into a space; lower case;
 * runs of spaces, dashes and underscores to one dash), then looked up in {@code aliases} (keys
 * normalised the same way), then matched against the categories.
 */
public final class CategoryLabels {

    private static final Pattern SEPARATORS = Pattern.compile("[\\s_\\-]+");

    private final List<String> categories;
    private final Map<String, String> aliases = new HashMap<>();

    public CategoryLabels(Config settings) {
        this.categories = settings.getStringList("categories");
        if (categories.isEmpty()) {
            throw new ConfigProblem(settings, "categories", "needs at least one category");
        }
        for (Map.Entry<String, Object> e : settings.getConfig("aliases").root().unwrapped().entrySet()) {
            String target = String.valueOf(e.getValue());
            if (!categories.contains(target)) {
                throw new ConfigProblem(settings, "aliases", "alias '" + e.getKey() + "' points at '" + target
                        + "', which is not one of the categories " + categories);
            }
            aliases.put(normalize(e.getKey()), target);
        }
    }

    public List<String> categories() {
        return categories;
    }

    /** NFKC, lower case, separators folded to single dashes, trimmed. */
    public static String normalize(String label) {
        String s = Normalizer.normalize(label, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT).strip();
        return SEPARATORS.matcher(s).replaceAll("-");
    }

    /** The category a label maps to, or null when it maps to none. */
    public String map(String label) {
        if (label == null || label.isBlank()) {
            return null;
        }
        String n = normalize(label);
        String a = aliases.get(n);
        if (a != null) {
            return a;
        }
        return categories.contains(n) ? n : null;
    }
}
