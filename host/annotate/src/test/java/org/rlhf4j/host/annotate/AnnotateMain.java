package org.rlhf4j.host.annotate;

import java.util.List;
import org.rlhf4j.host.cli.Cli;
import org.rlhf4j.host.cli.annotate.AnnotateCommand;

/** {@code rlhf} with the annotate commands, for tests that run the annotation server as a process of its own. */
public final class AnnotateMain {

    private AnnotateMain() {
    }

    public static void main(String[] args) {
        System.exit(Cli.execute(AnnotateMain.class, List.of(AnnotateCommand::new), args));
    }
}
