package org.rlhf4j.host.cli;


import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.rlhf4j.api.ConfigProblem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code rlhf config CONFIG}: the resolved config, each value with where it came from. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Print the resolved config (run file over plugin and host defaults), one key per line with its origin.",
        footer = ExitCodes.HELP)
final class ConfigCommand implements Callable<Integer> {

    @ParentCommand
    Cli cli;

    @Parameters(index = "0", paramLabel = "CONFIG", arity = "0..1", description = "The run file (HOCON); none prints the defaults.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config value (repeatable).")
    List<String> sets = new ArrayList<>();

    @Option(names = "--path", paramLabel = "PREFIX", description = "Only this key, or the keys under it (e.g. ppo, ppo.steps).")
    String prefix;

    @Override
    public Integer call() {
        try (Session s = Session.open(config, sets, cli.pluginsDir())) {
            if (prefix != null && !s.config.hasPathOrNull(prefix)) {
                throw new ConfigProblem(s.config, prefix, "no such key (--path)");
            }
            Config masked = org.rlhf4j.host.config.Secrets.mask(s.config);
            Config c = prefix == null ? masked
                    : s.config.getValue(prefix).valueType() == com.typesafe.config.ConfigValueType.OBJECT
                    ? masked.getConfig(prefix).atPath(prefix)
                    : masked.withOnlyPath(prefix); // a leaf key: just its line
            Map<String, ConfigValue> sorted = new TreeMap<>();
            for (Map.Entry<String, ConfigValue> e : c.entrySet()) {
                sorted.put(e.getKey(), e.getValue());
            }
            int width = sorted.keySet().stream().mapToInt(String::length).max().orElse(10);
            for (Map.Entry<String, ConfigValue> e : sorted.entrySet()) {
                String value = e.getValue().render(com.typesafe.config.ConfigRenderOptions.concise());
                System.out.print(org.rlhf4j.host.config.Secrets.scrub(String.format("%-" + width + "s = %-30s # %s%n", e.getKey(), value,
                        ConfigProblem.where(e.getValue().origin()))));
            }
            return ExitCodes.OK;
        }
    }
}
