package org.rlhf4j.host.cli.training;

import org.rlhf4j.host.cli.Cli;
import org.rlhf4j.host.cli.ExitCodes;
import org.rlhf4j.host.cli.RunCommand;
import org.rlhf4j.host.cli.Session;

import com.google.inject.Injector;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.rlhf4j.api.Extensions;
import org.rlhf4j.api.stage.Stage;
import org.rlhf4j.host.compare.CompareSpec;
import org.rlhf4j.host.compare.Comparison;
import org.rlhf4j.host.compare.VariantRunner;
import org.rlhf4j.host.plugin.ExtensionCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code rlhf compare A.conf B.conf ...} or {@code rlhf compare COMPARE.conf}: runs the variants on the same data,
 * seed and initial model (the stages they share run once) and writes one report across them (docs/compare.md).
 * Each run is {@code rlhf run --resume}: in a JVM of its own (compare.fork, the default) or in this one.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Run several configs side by side (shared stages once) and write compare.html, compare.csv and"
                + " plots/*.png in runs/<name>.",
        footer = ExitCodes.HELP)
public final class CompareCommand implements Callable<Integer>, VariantRunner {

    @ParentCommand
    Cli cli;

    @Parameters(arity = "1..*", paramLabel = "CONFIG",
            description = "Two or more run files (each a variant named by its run.name), or one compare config.")
    List<Path> configs = new ArrayList<>();

    @Option(names = "--name", paramLabel = "NAME", description = "The comparison's name and folder runs/<NAME> (default: compare.name).")
    String name;

    @Option(names = "--output", paramLabel = "DIR", description = "The comparison's folder (default: compare.output, else runs/<name>).")
    Path output;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config value of every variant (repeatable).")
    List<String> sets = new ArrayList<>();

    @Option(names = "--shared", split = ",", paramLabel = "STAGE",
            description = "The shared stages (default: compare.shared-stages, else decided: every stage before the first that differs).")
    List<String> shared;

    @Option(names = "--in-process", description = "Run every variant in this JVM (compare.fork = false).")
    boolean inProcess;

    @Option(names = "--resume", description = "Continue a comparison: finished stages are kept, an interrupted one resumes.")
    boolean resume;

    private boolean fork;

    @Override
    public Integer call() throws Exception {
        Boolean forkOverride = inProcess ? Boolean.FALSE : null;
        CompareSpec spec = configs.size() == 1 && CompareSpec.isCompareConfig(configs.get(0))
                ? CompareSpec.fromCompareConfig(configs.get(0), name, output, sets, shared, forkOverride)
                : CompareSpec.fromRunFiles(configs, name, output, sets, shared, forkOverride);
        fork = spec.fork();
        Comparison comparison = new Comparison(spec, this);
        String existing = comparison.existing();
        if (!resume && existing != null) {
            System.err.println("error: " + existing + ". Use --resume to continue it, or another --name.");
            return ExitCodes.USAGE;
        }
        try {
            Path report = comparison.run();
            System.out.println("compare " + spec.name() + ": report " + report + ", table " + spec.output().resolve("compare.csv")
                    + ", plots in " + spec.output().resolve("plots"));
            return ExitCodes.OK;
        } catch (Comparison.RunFailed e) {
            System.err.println("error: compare " + spec.name() + ": " + e.getMessage());
            return e.exitCode();
        }
    }

    @Override
    public Resolved resolve(Path config, List<String> overrides) {
        try (Session session = Session.open(config, overrides, cli.pluginsDir())) {
            session.runSettings();
            Injector injector = session.injector((stage, step, values) -> { });
            injector.getInstance(Extensions.class).selectAll(Stage.class, "run.stages"); // every stage created: config checked
            Set<String> names = new TreeSet<>();
            for (ExtensionCatalog.Entry e : session.catalog.all()) {
                names.add(e.name());
            }
            return new Resolved(session.config, names);
        }
    }

    @Override
    public int run(Path config, List<String> overrides) throws Exception {
        if (!fork) {
            return RunCommand.run(config, overrides, cli.pluginsDir(), true);
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), cli.mainClass().getName()));
        if (cli.pluginsDir() != null) {
            cmd.addAll(List.of("--plugins", cli.pluginsDir().toString()));
        }
        cmd.addAll(List.of("run", "--resume", config.toString()));
        for (String s : overrides) {
            cmd.addAll(List.of("--set", s));
        }
        return new ProcessBuilder(cmd).inheritIO().start().waitFor();
    }
}
