package org.rlhf4j.host.cli.annotate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rlhf4j.host.annotate.interchange.ArgillaExport;
import org.rlhf4j.host.annotate.interchange.ArgillaImport;
import org.rlhf4j.host.annotate.interchange.LabelStudioExport;
import org.rlhf4j.host.annotate.interchange.LabelStudioImport;
import org.rlhf4j.host.annotate.interchange.ProjectLayout;
import org.rlhf4j.host.annotate.interchange.StoreImport;
import org.rlhf4j.host.annotate.settings.AnnotateSettings;
import org.rlhf4j.host.annotate.store.AnnotationStore;
import org.rlhf4j.host.annotate.store.TaskStore.Status;
import org.rlhf4j.host.cli.ExitCodes;
import org.rlhf4j.host.cli.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code rlhf annotate export} and {@code rlhf annotate import}: the store's tasks as Label Studio or Argilla
 * projects, and those tools' exports back into the store as labels (docs/annotation.md, "Other annotation tools").
 */
final class InterchangeCommands {

    /** The tools a project can be exchanged with. */
    enum Tool { LABEL_STUDIO, ARGILLA }

    private InterchangeCommands() {
    }

    private static Tool tool(String name) {
        return Tool.valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** {@code rlhf annotate export CONFIG DIR --to label-studio|argilla}. */
    @Command(name = "export", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
            description = "Write the store's tasks as Label Studio projects (tasks.json and config.xml) or Argilla datasets"
                    + " (a to_disk directory), one per kind and number of answers, for a team to label there.")
    static final class Export extends AnnotateCommand.ConfigArgs implements Callable<Integer> {
        @ParentCommand
        AnnotateCommand parent;

        @Parameters(index = "1", paramLabel = "DIR", description = "The directory to write the projects into.")
        Path out;

        @Option(names = "--to", required = true, paramLabel = "TOOL", description = "label-studio or argilla.")
        String to;

        @Option(names = "--status", paramLabel = "STATUS", split = ",",
                description = "The tasks to export, by status (default: queued, the tasks waiting for people).")
        List<String> statuses = new ArrayList<>(List.of("queued"));

        @Override
        public Integer call() throws Exception {
            Tool t;
            List<Status> wanted = new ArrayList<>();
            try {
                t = tool(to);
                statuses.forEach(s -> wanted.add(Status.valueOf(s.toUpperCase(Locale.ROOT))));
            } catch (IllegalArgumentException e) {
                System.err.println("error: --to is label-studio or argilla, --status one of new, review, queued, rejected,"
                        + " labelled, complete");
                return ExitCodes.USAGE;
            }
            try (Session session = Session.open(config, sets, parent.cli.pluginsDir())) {
                AnnotateSettings settings = AnnotateSettings.from(session.config.getConfig("annotate"));
                try (AnnotationStore store = AnnotationStore.open(url(session, settings))) {
                    Files.createDirectories(out);
                    List<String> written = t == Tool.LABEL_STUDIO ? LabelStudioExport.write(store, wanted, settings.flags(), out)
                            : ArgillaExport.write(store, wanted, settings.flags(), out);
                    System.err.println("export: " + (written.isEmpty() ? "no task with status " + statuses : String.join(", ", written))
                            + " written under " + out);
                    return ExitCodes.OK;
                }
            }
        }
    }

    /** {@code rlhf annotate import CONFIG FILE --from label-studio|argilla}. */
    @Command(name = "import", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
            description = "Import a Label Studio JSON export or an Argilla dataset (a to_disk directory or a records file)"
                    + " into the store: its tasks, and every person's annotation as a label. A malformed file stores nothing"
                    + " and exits 1, naming the file, task and annotation.")
    static final class Import extends AnnotateCommand.ConfigArgs implements Callable<Integer> {
        @ParentCommand
        AnnotateCommand parent;

        @Parameters(index = "1", paramLabel = "FILE", description = "The export: a Label Studio JSON file; an Argilla directory or records file.")
        Path file;

        @Option(names = "--from", required = true, paramLabel = "TOOL", description = "label-studio or argilla.")
        String from;

        @Option(names = "--annotator", paramLabel = "ID=NAME",
                description = "Store the labels of the tool's user ID (or e-mail) under NAME, e.g. an account (repeatable);"
                        + " others are named label-studio:ID or argilla:ID.")
        Map<String, String> annotators = new LinkedHashMap<>();

        @Option(names = "--prompt", paramLabel = "FIELD", description = "The data field with the prompt (default: prompt).")
        String prompt = ProjectLayout.DEFAULT.promptField();

        @Option(names = "--answers", paramLabel = "FIELD", split = ",",
                description = "The data fields with the answers, in order (default: answer_1, answer_2 ... or an answers list).")
        List<String> answers = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            Tool t;
            try {
                t = tool(from);
            } catch (IllegalArgumentException e) {
                System.err.println("error: --from is label-studio or argilla, not '" + from + "'");
                return ExitCodes.USAGE;
            }
            if (!Files.exists(file)) {
                System.err.println("error: no file " + file.toAbsolutePath());
                return ExitCodes.USAGE;
            }
            try (Session session = Session.open(config, sets, parent.cli.pluginsDir())) {
                AnnotateSettings settings = AnnotateSettings.from(session.config.getConfig("annotate"));
                ProjectLayout layout = new ProjectLayout(prompt, answers);
                try (AnnotationStore store = AnnotationStore.open(url(session, settings))) {
                    StoreImport.Counts c = t == Tool.LABEL_STUDIO ? LabelStudioImport.run(file, store, layout, annotators)
                            : ArgillaImport.run(file, store, layout, annotators);
                    System.err.println("import: " + c.tasks() + " labelled task(s) (" + c.newTasks() + " new), " + c.labels()
                            + " label(s) stored, " + c.unchanged() + " already there, from " + c.annotators().size()
                            + " annotator(s) " + c.annotators() + "; " + c.withoutLabels() + " task(s) without annotations skipped"
                            + " (give those as annotate.tasks to have them labelled here)");
                    return ExitCodes.OK;
                }
            }
        }
    }
}
