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
        // Full paths, so Typesafe's own messages name the key as the user wrote it.
        String name = config.getString("run.name");
        if (name.isBlank() || !name.matches("[A-Za-z0-9._-]+")) {
            throw new ConfigProblem(config, "run.name", "'" + name + "' is not a usable directory name (letters, digits, . _ -)");
        }
        String out = config.getString("run.output");
        Path output = out.isBlank() ? Path.of("runs", name) : Path.of(out);
        List<String> stages = config.getStringList("run.stages");
        if (stages.size() != stages.stream().distinct().count()) {
            throw new ConfigProblem(config, "run.stages", "a stage is listed twice: " + stages);
        }
        int threads = config.getInt("run.threads");
        if (threads < 0) {
            throw new ConfigProblem(config, "run.threads", "must be 0 (all cores) or more, got " + threads);
        }
        return new RunSettings(name, config.getLong("run.seed"), config.getString("run.device"), output, stages, threads);
    }
}
