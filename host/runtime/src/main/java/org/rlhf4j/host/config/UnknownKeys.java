package org.rlhf4j.host.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rlhf4j.api.ConfigProblem;

/**
 * Keys a run sets that no reference.conf defines: a misspelling ({@code pretrain.stepz}) would otherwise be
 * ignored and the run would train with the default. Every reference.conf (the host modules' and each loaded
 * plugin's) declares every setting, so a key is known when the merged reference has it.
 *
 * <p>Which keys are checked: those under a section the reference knows (its first path segment is a top-level key
 * of the reference, e.g. {@code pretrain} or a plugin's {@code acme}), so a run file may still keep its own
 * variables at the top level for substitutions; and a top-level object whose name is one edit or two away from a
 * known section ({@code pretrian { ... }}). An empty object in the reference ({@code source = {}}) is open: any key
 * below it is the user's. Each unknown key is reported with its file and line and the nearest known key.
 */
public final class UnknownKeys {

    private UnknownKeys() {
    }

    /** One key no reference defines, where it was set, and the nearest known key (null when none is close). */
    public record Unknown(String path, String where, String suggestion) {

        public String describe() {
            return path + " (" + where + "): no such setting" + (suggestion == null ? "" : "; did you mean " + suggestion + "?");
        }
    }

    /**
     * The unknown keys of {@code config} (resolved, over {@code reference}), sorted by path; {@code alsoKnown} are
     * paths no reference declares that the host reads anyway (the record filters' {@code kinds} and
     * {@code skip-formats}).
     */
    public static List<Unknown> find(Config config, Config reference, java.util.Set<String> alsoKnown) {
        Map<String, Unknown> found = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> e : config.entrySet()) {
            List<String> path = ConfigUtil.splitPath(e.getKey());
            if (!checked(path.get(0), config, reference) || known(path, reference) || alsoKnown.contains(e.getKey())) {
                continue;
            }
            String key = e.getKey();
            found.put(key, new Unknown(key, ConfigProblem.where(e.getValue().origin()), nearest(path, reference)));
        }
        return List.copyOf(found.values());
    }

    /**
     * Fails with a {@link ConfigProblem} naming every unknown key, or (with {@code warnOnly}) returns them for the
     * caller to print as warnings.
     */
    public static List<Unknown> check(Config config, Config reference, java.util.Set<String> alsoKnown, boolean warnOnly) {
        List<Unknown> unknown = find(config, reference, alsoKnown);
        if (unknown.isEmpty() || warnOnly) {
            return unknown;
        }
        StringBuilder more = new StringBuilder();
        for (Unknown u : unknown.subList(1, unknown.size())) {
            more.append("\n  and ").append(u.describe());
        }
        Unknown first = unknown.get(0);
        throw new ConfigProblem(config, first.path(), "no such setting"
                + (first.suggestion() == null ? "" : "; did you mean " + first.suggestion() + "?") + more
                + "\n(every setting is listed by `rlhf config`; run.unknown-keys = warn only warns)");
    }

    private static boolean checked(String section, Config config, Config reference) {
        if (reference.root().containsKey(section)) {
            return true;
        }
        ConfigValue v = config.root().get(section);
        return v != null && v.valueType() == ConfigValueType.OBJECT && closest(section, reference.root().keySet()) != null;
    }

    /**
     * The path, or one of its ancestors as an open (empty) object, is in the reference. Under a block's
     * {@code variants} (named overlays of the block, e.g. {@code preference.variants.simpo.loss}) a key is known
     * when the block has it ({@code preference.loss}).
     */
    private static boolean known(List<String> path, Config reference) {
        int variants = path.indexOf("variants");
        if (variants > 0 && path.size() > variants + 2) {
            List<String> overlaid = new ArrayList<>(path.subList(0, variants));
            overlaid.addAll(path.subList(variants + 2, path.size()));
            if (known(overlaid, reference)) {
                return true;
            }
        }
        for (int n = path.size(); n >= 1; n--) {
            String p = ConfigUtil.joinPath(path.subList(0, n));
            if (!reference.hasPathOrNull(p)) {
                continue;
            }
            if (n == path.size()) {
                return true;
            }
            ConfigValue v = reference.getValue(p);
            // An open map, or a value of another type (checkValid reports the type).
            return v.valueType() != ConfigValueType.OBJECT || ((ConfigObject) v).isEmpty();
        }
        return false;
    }

    /** The deepest known ancestor, with the closest of its keys to the first unknown segment, and the rest. */
    private static String nearest(List<String> path, Config reference) {
        ConfigObject at = reference.root();
        for (int i = 0; i < path.size(); i++) {
            ConfigValue child = at.get(path.get(i));
            if (child != null && child.valueType() == ConfigValueType.OBJECT) {
                at = (ConfigObject) child;
                continue;
            }
            String best = closest(path.get(i), at.keySet());
            if (best == null) {
                return null;
            }
            List<String> fixed = new ArrayList<>(path.subList(0, i));
            fixed.add(best);
            fixed.addAll(path.subList(i + 1, path.size()));
            String candidate = ConfigUtil.joinPath(fixed);
            return reference.hasPathOrNull(candidate) ? candidate : ConfigUtil.joinPath(fixed.subList(0, i + 1));
        }
        return null;
    }

    /** The key nearest to {@code word} by edit distance, if it is close enough (at most 2, and under half the word). */
    static String closest(String word, Iterable<String> keys) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : keys) {
            int d = editDistance(word, k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return bestDistance <= Math.min(2, (word.length() - 1) / 2) ? best : null;
    }

    /** Levenshtein distance: insertions, deletions and substitutions of one character each cost 1. */
    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
