package org.rlhf4j.host.config;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.List;
import org.rlhf4j.api.ConfigProblem;

/**
 * The {@code run} block: what to run, where, with which seed and device.
 *
 * @param output the run directory; {@code run.output}, or {@code runs/<run.name>} when empty
 */
public record RunSettings(String name, long seed, String device, Path output, List<String> stages, int threads) {

    public static RunSettings from(Config config) {
        Config run = config.getConfig("run");
        String name = run.getString("name");
        if (name.isBlank() || !name.matches("[A-Za-z0-9._-]+")) {
            throw new ConfigProblem(config, "run.name", "'" + name + "' is not a usable directory name (letters, digits, . _ -)");
        }
        String out = run.getString("output");
        Path output = out.isBlank() ? Path.of("runs", name) : Path.of(out);
        List<String> stages = run.getStringList("stages");
        if (stages.size() != stages.stream().distinct().count()) {
            throw new ConfigProblem(config, "run.stages", "a stage is listed twice: " + stages);
        }
        int threads = run.getInt("threads");
        if (threads < 0) {
            throw new ConfigProblem(config, "run.threads", "must be 0 (all cores) or more, got " + threads);
        }
        return new RunSettings(name, run.getLong("seed"), run.getString("device"), output, stages, threads);
    }
}
