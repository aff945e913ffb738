package org.rlhf4j.host.compare;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.host.config.ConfigLoader;

/**
 * What a comparison runs: its name and folder, the variants (a run file each, with overrides), the stages they
 * share ({@code null}: decided by {@link SharedStages}), whether each run gets a JVM of its own, and how many
 * held-out prompts the report shows side by side. Built from a compare config ({@code compare { ... }}, defaults
 * in {@code rlhf4j/compare.conf}) or from run files given on the command line.
 */
public record CompareSpec(String name, Path output, List<Variant> variants, List<String> sharedStages, boolean fork, int samples) {

    /** The folder in the comparison's folder that holds the shared stages' run. */
    public static final String SHARED = "shared";

    /** One variant: its name (its folder), its run file and the overrides laid over it ({@code key=value}, as --set). */
    public record Variant(String name, Path config, List<String> sets) {
    }

    /** The folder of a variant's run. */
    public Path directory(Variant v) {
        return output.resolve(v.name());
    }

    public Path sharedDirectory() {
        return output.resolve(SHARED);
    }

    /** True when {@code file} is a compare config (it has a {@code compare} block) rather than a run file. */
    public static boolean isCompareConfig(Path file) {
        return parse(file).hasPath("compare");
    }

    /**
     * From a compare config; {@code name} and {@code output} (when not null) replace compare.name and compare.output,
     * and {@code sets} are laid over every variant after compare.set.
     */
    public static CompareSpec fromCompareConfig(Path file, String name, Path output, List<String> sets, List<String> shared,
                                                Boolean fork) {
        Config c = parse(file).withFallback(defaults()).resolve().getConfig("compare");
        List<String> common = new ArrayList<>(flatten(c.getConfig("set")));
        common.addAll(sets);
        List<Variant> variants = new ArrayList<>();
        for (Config v : c.getConfigList("variants")) {
            if (!v.hasPath("config")) {
                throw new ConfigProblem(v, "config", "a variant of compare.variants needs config = \"path/to/run.conf\"");
            }
            Path config = Path.of(v.getString("config"));
            List<String> own = new ArrayList<>(common);
            if (v.hasPath("set")) {
                own.addAll(flatten(v.getConfig("set")));
            }
            String variantName = v.hasPath("name") ? v.getString("name") : runName(config, own);
            variants.add(new Variant(variantName, config, List.copyOf(own)));
        }
        List<String> sharedStages = shared;
        if (sharedStages == null && c.getValue("shared-stages").valueType() == ConfigValueType.LIST) {
            sharedStages = c.getStringList("shared-stages");
        } else if (sharedStages == null && !c.getString("shared-stages").equals("auto")) {
            throw new ConfigProblem(c, "shared-stages", "is auto or a list of stages, got '" + c.getString("shared-stages") + "'");
        }
        String n = name != null ? name : c.getString("name");
        String out = output != null ? output.toString() : name == null ? c.getString("output") : "";
        return checked(n, out.isBlank() ? Path.of("runs", n) : Path.of(out), variants, sharedStages,
                fork != null ? fork : c.getBoolean("fork"), c.getInt("samples"));
    }

    /** From run files: each is a variant named by its run.name; {@code sets} are laid over every one. */
    public static CompareSpec fromRunFiles(List<Path> files, String name, Path output, List<String> sets, List<String> shared,
                                           Boolean fork) {
        Config c = defaults().resolve().getConfig("compare");
        List<Variant> variants = new ArrayList<>();
        for (Path f : files) {
            variants.add(new Variant(runName(f, sets), f, List.copyOf(sets)));
        }
        String n = name != null ? name : c.getString("name");
        return checked(n, output != null ? output : Path.of("runs", n), variants, shared, fork != null ? fork : c.getBoolean("fork"), c.getInt("samples"));
    }

    private static CompareSpec checked(String name, Path output, List<Variant> variants, List<String> shared, boolean fork, int samples) {
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new CompareProblem("the comparison's name '" + name + "' is not a usable directory name (letters, digits, . _ -)");
        }
        if (variants.size() < 2) {
            throw new CompareProblem("a comparison needs at least two variants, got " + variants.size());
        }
        Map<String, Path> seen = new HashMap<>();
        for (Variant v : variants) {
            if (!v.name().matches("[A-Za-z0-9._-]+") || v.name().equals(SHARED)) {
                throw new CompareProblem("variant '" + v.name() + "' (" + v.config() + "): not a usable directory name"
                        + " (letters, digits, . _ -, and not '" + SHARED + "')");
            }
            Path before = seen.put(v.name(), v.config());
            if (before != null) {
                throw new CompareProblem("two variants are named '" + v.name() + "' (" + before + " and " + v.config()
                        + "): give each its own name (compare.variants[].name, or run.name in the run file)");
            }
        }
        if (samples < 0) {
            throw new CompareProblem("compare.samples must be 0 or more, got " + samples);
        }
        return new CompareSpec(name, output, List.copyOf(variants), shared == null ? null : List.copyOf(shared), fork, samples);
    }

    /** A run file's run.name with the overrides applied (the file must exist and parse). */
    private static String runName(Path file, List<String> sets) {
        return ConfigLoader.of(file, sets).bootstrap().getString("run.name");
    }

    /** The leaves of an object as {@code key=value} overrides, values rendered as HOCON (JSON). */
    static List<String> flatten(Config block) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> e : block.entrySet()) {
            out.add(e.getKey() + "=" + e.getValue().render(ConfigRenderOptions.concise()));
        }
        out.sort(null);
        return out;
    }

    private static Config parse(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CompareProblem("config file " + file + " does not exist or is not a file");
        }
        return ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
    }

    private static Config defaults() {
        return ConfigFactory.parseResources(CompareSpec.class.getClassLoader(), "rlhf4j/compare.conf");
    }
}
