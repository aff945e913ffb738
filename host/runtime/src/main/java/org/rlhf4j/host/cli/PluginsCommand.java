package org.rlhf4j.host.cli;


import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rlhf4j.host.plugin.ExtensionCatalog;
import org.rlhf4j.host.plugin.PluginHost;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code rlhf plugins}: every plugin archive and every extension the host can create. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "List the plugins (id, version, state, archive) and every extension (point, name, plugin).",
        footer = ExitCodes.HELP)
final class PluginsCommand implements Callable<Integer> {

    @ParentCommand
    Cli cli;

    @Option(names = "--config", paramLabel = "CONFIG", description = "A run file whose plugins.dir to read.")
    Path config;

    @Override
    public Integer call() {
        try (Session s = Session.open(config, java.util.List.of(), cli.pluginsDir())) {
            var out = System.out;
            out.println("Plugins in " + (s.plugins.directories().isEmpty() ? "(no folder)"
                    : s.plugins.directories().stream().map(Path::toString).collect(java.util.stream.Collectors.joining(", "))) + ":");
            if (s.plugins.plugins().isEmpty()) {
                out.println("  (none)");
            }
            out.printf("  %-22s %-9s %-9s %s%n", "ID", "VERSION", "STATE", "ARCHIVE");
            for (PluginHost.PluginInfo p : s.plugins.plugins()) {
                out.printf("  %-22s %-9s %-9s %s%n", nz(p.id()), nz(p.version()), p.state(), p.archive());
                if (p.failure() != null) {
                    out.println("      why: " + p.failure());
                }
            }
            out.println();
            out.println("Extensions:");
            out.printf("  %-22s %-28s %s%n", "POINT", "NAME", "FROM");
            for (ExtensionCatalog.Entry e : s.catalog.all()) {
                out.printf("  %-22s %-28s %s%n", e.point().getSimpleName(), e.name(),
                        e.pluginId() == null ? "built-in" : e.pluginId());
            }
            return s.plugins.failures().isEmpty() ? ExitCodes.OK : ExitCodes.PLUGIN;
        }
    }

    private static String nz(String s) {
        return s == null ? "-" : s;
    }
}
