package org.rlhf4j.host.compare;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.rlhf4j.api.ConfigProblem;

/**
 * Decides and checks the stages a comparison's variants share. A shared stage runs once, so it must be one of
 * the first stages of every variant's {@code run.stages}, at the same position, and everything it depends on
 * ({@link StageSettings}) must be identical in every variant's resolved config.
 *
 * <p>Listed ({@code compare.shared-stages = [...]}): every listed stage is checked, and the first difference
 * fails naming the variant, the key and where each variant sets it (file:line). Decided ({@code auto}): the
 * longest run of first stages that pass the same check; the first stage that does not is named with why.
 */
final class SharedStages {

    /** One variant's resolved config. */
    record Variant(String name, Config config, Set<String> extensionNames) {
        List<String> stages() {
            return config.getStringList("run.stages");
        }
    }

    /** The shared stages, and why the next stage of the first variant is not shared (empty when all are). */
    record Decision(List<String> stages, String stopReason) {
    }

    private SharedStages() {
    }

    static Decision decide(List<Variant> variants, List<String> listed) {
        if (listed != null) {
            for (Variant v : variants) {
                List<String> stages = v.stages();
                if (stages.size() < listed.size() || !stages.subList(0, listed.size()).equals(listed)) {
                    throw new CompareProblem("compare.shared-stages " + listed + " must be the first stages of every variant's"
                            + " run.stages; variant '" + v.name() + "' has " + ConfigProblem.describe(v.config(), "run.stages")
                            + " = " + stages);
                }
            }
            for (String stage : listed) {
                String difference = difference(stage, variants);
                if (difference != null) {
                    throw new CompareProblem("stage " + stage + " is shared (compare.shared-stages) but " + difference);
                }
            }
            return new Decision(listed, "");
        }
        List<String> first = variants.get(0).stages();
        List<String> shared = new ArrayList<>();
        for (int i = 0; i < first.size(); i++) {
            String stage = first.get(i);
            for (Variant v : variants) {
                if (v.stages().size() <= i || !v.stages().get(i).equals(stage)) {
                    return new Decision(shared, "stage " + (i + 1) + " of variant '" + variants.get(0).name() + "' is " + stage
                            + ", of variant '" + v.name() + "' " + (v.stages().size() <= i ? "none" : v.stages().get(i)));
                }
            }
            String difference = difference(stage, variants);
            if (difference != null) {
                return new Decision(shared, "stage " + stage + ": " + difference);
            }
            shared.add(stage);
        }
        return new Decision(shared, "");
    }

    /** The first key {@code stage} depends on that differs between the first variant and another, described; or null. */
    static String difference(String stage, List<Variant> variants) {
        Variant ref = variants.get(0);
        Set<String> paths = new TreeSet<>();
        for (Variant v : variants) {
            paths.addAll(StageSettings.paths(stage, v.config(), v.extensionNames()));
        }
        Set<String> leaves = new TreeSet<>();
        for (Variant v : variants) {
            leaves.addAll(StageSettings.leaves(paths, v.config()));
        }
        for (String key : leaves) {
            Object expected = value(ref.config(), key);
            for (Variant v : variants.subList(1, variants.size())) {
                if (!Objects.equals(expected, value(v.config(), key))) {
                    return "variant '" + v.name() + "' sets " + shown(v.config(), key) + " where variant '" + ref.name()
                            + "' has " + shown(ref.config(), key);
                }
            }
        }
        return null;
    }

    private static Object value(Config c, String key) {
        return c.hasPath(key) ? c.getValue(key).unwrapped() : null;
    }

    /** {@code key = value (file:line)}, or {@code key (not set)}. */
    private static String shown(Config c, String key) {
        if (!c.hasPath(key)) {
            return key + " (not set)";
        }
        ConfigValue v = c.getValue(key);
        String rendered = v.render(com.typesafe.config.ConfigRenderOptions.concise());
        if (rendered.length() > 120) {
            rendered = rendered.substring(0, 117) + "...";
        }
        return key + " = " + rendered + " (" + ConfigProblem.where(v.origin()) + ")";
    }
}
