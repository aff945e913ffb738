package org.rlhf4j.host.compare;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The config a stage's work depends on, so that a stage shared by several variants is shared only when all of
 * it is identical. For a stage {@code name} or {@code name#label}:
 * <ol>
 *   <li>the global keys every stage reads: {@link #GLOBAL} (seed, device, model, tokenizer, sampling);</li>
 *   <li>the stage's own block, the config at {@code name} ({@code evaluate#sft} reads {@code evaluate});</li>
 *   <li>the blocks of the extensions that block selects: every string in it (nested objects and lists included)
 *       that names a known extension with a block of its own ({@code reward.loss = colossal.log-sig} adds
 *       {@code colossal.log-sig}; {@code ppo.reward = learned-reward} adds {@code learned-reward}), and so on
 *       through those blocks;</li>
 *   <li>the plugin-independent blocks an extension reads besides its own, {@link #READS} (the evaluate stage
 *       reads {@code classify} and {@code annotate}; the human and API annotators read {@code annotate}).</li>
 * </ol>
 * Not compared: {@code run.name}, {@code run.output}, {@code run.stages} (positions are checked separately) and
 * {@code run.threads}, which the comparison sets or which do not change what a stage computes.
 */
final class StageSettings {

    static final List<String> GLOBAL = List.of("run.seed", "run.device", "model", "tokenizer", "generate");

    /** Blocks outside its own that an extension reads (host code: config.getConfig(...) in the constructors). */
    static final Map<String, List<String>> READS = Map.of(
            "evaluate", List.of("classify", "annotate"),
            "human", List.of("annotate"),
            "api-judge", List.of("annotate"));

    private StageSettings() {
    }

    /** The config paths (keys or blocks) {@code stage} depends on in {@code config}, sorted. */
    static Set<String> paths(String stage, Config config, Set<String> extensionNames) {
        String base = stage.contains("#") ? stage.substring(0, stage.indexOf('#')) : stage;
        Set<String> out = new TreeSet<>(GLOBAL);
        Deque<String> todo = new ArrayDeque<>(List.of(base));
        Set<String> visited = new HashSet<>();
        while (!todo.isEmpty()) {
            String block = todo.pop();
            if (!visited.add(block)) {
                continue;
            }
            out.add(block);
            READS.getOrDefault(block, List.of()).forEach(todo::push);
            if (config.hasPath(block) && config.getValue(block).valueType() == ConfigValueType.OBJECT) {
                Set<String> named = new TreeSet<>();
                strings(config.getValue(block), named);
                for (String s : named) {
                    if (extensionNames.contains(s) && !visited.contains(s) && hasBlock(config, s)) {
                        todo.push(s);
                    }
                }
            }
        }
        return out;
    }

    /** Every leaf key under the given paths, as full paths (a path that is a value itself is its own leaf). */
    static Set<String> leaves(Set<String> paths, Config config) {
        Set<String> out = new TreeSet<>();
        for (String p : paths) {
            if (!config.hasPath(p)) {
                continue;
            }
            if (config.getValue(p).valueType() == ConfigValueType.OBJECT) {
                for (Map.Entry<String, ConfigValue> e : config.getConfig(p).entrySet()) {
                    out.add(p + "." + e.getKey());
                }
            } else {
                out.add(p);
            }
        }
        return out;
    }

    private static boolean hasBlock(Config config, String name) {
        try {
            return config.hasPath(name) && config.getValue(name).valueType() == ConfigValueType.OBJECT;
        } catch (com.typesafe.config.ConfigException.BadPath e) {
            return false; // a string that is no config path at all
        }
    }

    private static void strings(ConfigValue v, Set<String> out) {
        switch (v.valueType()) {
            case STRING -> out.add((String) v.unwrapped());
            case OBJECT -> ((ConfigObject) v).values().forEach(x -> strings(x, out));
            case LIST -> ((ConfigList) v).forEach(x -> strings(x, out));
            default -> {
            }
        }
    }
}
