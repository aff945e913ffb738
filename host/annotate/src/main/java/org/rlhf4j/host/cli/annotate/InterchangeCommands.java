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
import org.rlhf4j.host.annotate.export.TrlExports;
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
 * {@code rlhf annotate export} and {@code rlhf annotate import}: the store's labels in TRL's layouts, its tasks as
 * Label Studio or Argilla projects, and those tools' exports back into the store as labels (docs/annotation.md, "Other annotation tools").
 */
final class InterchangeCommands {

    /** The tools a project can be exchanged with. */
    enum Tool { LABEL_STUDIO, ARGILLA }

    private InterchangeCommands() {
    }

    private static Tool tool(String name) {
        return Tool.valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /**
     * {@code rlhf annotate export CONFIG --format F [--out PATH]}: the labels in one of TRL's dataset layouts
     * ({@link TrlExports}: a JSONL file), or the tasks as Label Studio or Argilla projects (a directory).
     */
    @Command(name = "export", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
            description = "Export the store: the labels in TRL's layouts (trl-preference, trl-sft, kto: one JSONL file), or the"
                    + " tasks as Label Studio projects (tasks.json and config.xml) or Argilla datasets (a to_disk directory),"
                    + " one per kind and number of answers, for a team to label there.")
    static final class Export extends AnnotateCommand.ConfigArgs implements Callable<Integer> {
        private static final String FORMATS = "trl-preference, trl-sft, kto, label-studio or argilla";

        @ParentCommand
        AnnotateCommand parent;

        @Option(names = "--format", required = true, paramLabel = "FORMAT", description = FORMATS + ".")
        String format;

        @Option(names = "--out", paramLabel = "PATH",
                description = "The file (TRL layouts) or directory (projects) to write; default data/FORMAT.jsonl or"
                        + " data/FORMAT/ in the run directory.")
        Path out;

        @Option(names = "--status", paramLabel = "STATUS", split = ",",
                description = "Projects only: the tasks to export, by status (default: queued, the tasks waiting for people).")
        List<String> statuses = new ArrayList<>(List.of("queued"));

        @Override
        public Integer call() throws Exception {
            TrlExports.Format trl = null;
            for (TrlExports.Format x : TrlExports.Format.values()) {
                if (x.cliName().equals(format)) {
                    trl = x;
                }
            }
            Tool tool = null;
            List<Status> wanted = new ArrayList<>();
            try {
                if (trl == null) {
                    tool = tool(format);
                }
                statuses.forEach(s -> wanted.add(Status.valueOf(s.toUpperCase(Locale.ROOT))));
            } catch (IllegalArgumentException e) {
                System.err.println("error: --format must be " + FORMATS + " (got '" + format + "'), --status one of new, review,"
                        + " queued, rejected, labelled, complete");
                return ExitCodes.USAGE;
            }
            try (Session session = Session.open(config, sets, parent.cli.pluginsDir())) {
                AnnotateSettings settings = AnnotateSettings.from(session.config.getConfig("annotate"));
                Path data = session.runSettings().output().resolve("data");
                try (AnnotationStore store = AnnotationStore.open(url(session, settings))) {
                    if (trl != null) {
                        Path file = out != null ? out : data.resolve(trl.cliName() + ".jsonl");
                        int n = new TrlExports(settings).write(store, trl, file);
                        System.err.println("annotate export: " + n + " " + trl.cliName() + " line(s) from " + store.url() + " to " + file);
                        return ExitCodes.OK;
                    }
                    Path dir = Files.createDirectories(out != null ? out : data.resolve(format));
                    List<String> written = tool == Tool.LABEL_STUDIO ? LabelStudioExport.write(store, wanted, settings.flags(), dir)
                            : ArgillaExport.write(store, wanted, settings.flags(), dir);
                    System.err.println("annotate export: " + (written.isEmpty() ? "no task with status " + statuses : String.join(", ", written))
                            + " written under " + dir);
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
