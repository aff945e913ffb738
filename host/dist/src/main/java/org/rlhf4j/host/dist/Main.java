package org.rlhf4j.host.dist;

import java.util.List;
import java.util.function.Supplier;
import org.rlhf4j.host.cli.Cli;
import org.rlhf4j.host.cli.annotate.AnnotateCommand;
import org.rlhf4j.host.cli.data.DataCommand;
import org.rlhf4j.host.cli.training.BatchCommand;
import org.rlhf4j.host.cli.training.BenchCommand;
import org.rlhf4j.host.cli.training.CompareCommand;
import org.rlhf4j.host.cli.training.ModelFolderCommand;

/**
 * The {@code rlhf} command of the distribution (bin/rlhf runs it): the runtime's commands and every area's,
 * under one root.
 */
public final class Main {

    /** The area modules' commands, after the runtime's run, config and plugins. */
    public static final List<Supplier<Object>> COMMANDS = List.of(CompareCommand::new, DataCommand::new,
            ModelFolderCommand::exportCommand, ModelFolderCommand::importCommand, BenchCommand::new, BatchCommand::new,
            AnnotateCommand::new);

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns its exit code (tests call this in-process). */
    public static int execute(String... args) {
        return Cli.execute(Main.class, COMMANDS, args);
    }
}
