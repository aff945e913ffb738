package org.rlhf4j.host.run;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What {@code --resume} checks before it skips a finished stage: that the config now gives the stage the settings it
 * ran with. Each stage's config is kept in {@code .stages/<stage>.conf} when it finishes (secrets masked). A key
 * counts for a finished stage when it lies in the stage's own block ({@code sft.*} for {@code sft}, {@code evaluate.*}
 * for {@code evaluate#sft}, {@code acme.hello.*} for a plugin's {@code acme.hello}) or in no stage's block ({@code model}, {@code tokenizer}, {@code filter}
 * ...); a key in the block of a stage still to run may change freely, and so may the settings of the run itself
 * that shape no result (its stages list, name, output, threads, plugin folders).
 */
public final class ResumeCheck {

    /** Settings that change where or how fast a run goes, not what it computes. */
    private static final Set<String> FREE = Set.of("run.stages", "run.name", "run.output", "run.threads", "run.unknown-keys");

    private ResumeCheck() {
    }

    /** The path of {@code stage}'s kept config in {@code runDirectory}. */
    static Path file(Path runDirectory, String stage) {
        return runDirectory.resolve(".stages").resolve(stage + ".conf");
    }

    /**
     * Each changed key that matters to a finished stage, as {@code "stage sft: sft.steps was 100, now 200"}; empty when
     * nothing changed (or a stage finished before configs were kept).
     */
    public static List<String> changes(Path runDirectory, List<String> stages, Set<String> finished, Config now) throws IOException {
        Set<String> blocks = new HashSet<>();
        for (String s : stages) {
            blocks.add(block(s));
        }
        List<String> out = new ArrayList<>();
        for (String stage : stages) {
            Path f = file(runDirectory, stage);
            if (!finished.contains(stage) || !Files.exists(f)) {
                continue;
            }
            Config then = ConfigFactory.parseString(Files.readString(f)).resolve();
            Map<String, String> before = values(then);
            Map<String, String> after = values(now);
            Set<String> keys = new java.util.TreeSet<>(before.keySet());
            keys.addAll(after.keySet());
            for (String key : keys) {
                String section = ConfigUtil.splitPath(key).get(0);
                boolean counts = !FREE.contains(key) && !section.equals("plugins")
                        && (under(key, block(stage)) || blocks.stream().noneMatch(b -> under(key, b)));
                String a = before.get(key);
                String b = after.get(key);
                if (counts && !java.util.Objects.equals(a, b)) {
                    out.add("stage " + stage + ": " + key + " was " + (a == null ? "(not set)" : a) + ", now "
                            + (b == null ? "(not set)" : b));
                }
            }
        }
        return out;
    }

    /** Whether {@code key} lies in the block at {@code path} (a plugin's stage block is dotted: acme.hello). */
    private static boolean under(String key, String path) {
        return key.startsWith(path + ".");
    }

    /** The block a stage entry reads: its name without a {@code #label}. */
    private static String block(String stage) {
        int hash = stage.indexOf('#');
        return hash < 0 ? stage : stage.substring(0, hash);
    }

    private static Map<String, String> values(Config c) {
        Map<String, String> m = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> e : c.entrySet()) {
            m.put(e.getKey(), e.getValue().render(com.typesafe.config.ConfigRenderOptions.concise()));
        }
        return m;
    }
}
