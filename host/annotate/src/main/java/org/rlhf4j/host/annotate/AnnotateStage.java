package org.rlhf4j.host.annotate;

import org.rlhf4j.host.annotate.settings.AnnotateSettings;
import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pf4j.Extension;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Extensions;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.annotate.AnnotationTask;
import org.rlhf4j.api.annotate.Annotator;
import org.rlhf4j.api.annotate.Label;
import org.rlhf4j.api.annotate.PreRanker;
import org.rlhf4j.api.stage.Stage;
import org.rlhf4j.api.stage.StageContext;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.annotate.export.AnnotationExports;
import org.rlhf4j.host.annotate.quality.PromptScreening;
import org.rlhf4j.host.annotate.store.AnnotationStore;
import org.rlhf4j.host.annotate.store.LabelStore;
import org.rlhf4j.host.annotate.store.TaskStore;
import org.rlhf4j.host.annotate.store.TaskStore.Status;
import org.rlhf4j.host.run.Closeables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code annotate} stage: loads the task files into the annotation store (importing the labels of
 * files marked labelled), screens every new task's prompt (harmful or misleading ones go to the admin
 * review queue), adds an editing task for each answer that lacks the ordered steps its prompt asks for,
 * collects labels from the configured annotators, and exports preference pairs, safety pairs, edited SFT
 * data, win rates and the quality report into the run directory (see {@link AnnotationExports}).
 *
 * <p>The store ({@code annotations.db}) lives in the run directory itself, outside staging: labels given
 * while a run waits, or between a stopped run and {@code --resume}, are kept and reused.
 *
 * <p>The annotators (labelling, screening, pre-ranking) are created with the stage and closed when its run ends.
 */
@Extension
@ExtensionName("annotate")
public final class AnnotateStage implements Stage {

    private static final Logger log = LoggerFactory.getLogger(AnnotateStage.class);
    private static final int BATCH = 50;

    private final AnnotateSettings settings;
    private final List<Annotator> annotators;
    private final PromptScreening screening;
    private final PreRanker preRanker;
    /** Every annotator this stage created (labelling, screening, pre-ranking), closed when its run ends. */
    private final List<Annotator> owned = new ArrayList<>();

    @Inject
    public AnnotateStage(@Settings Config config, Extensions extensions) {
        this.settings = AnnotateSettings.from(config);
        this.annotators = extensions.selectAll(Annotator.class, "annotate.annotators");
        List<Annotator> safety = extensions.selectAll(Annotator.class, "annotate.screening.safety-annotators");
        this.screening = new PromptScreening(safety, settings.instructionCheck());
        owned.addAll(annotators);
        owned.addAll(safety);
        if (settings.preRanker().isBlank()) {
            this.preRanker = null;
        } else {
            Annotator ranker = extensions.select(Annotator.class, "annotate.pre-ranker");
            if (!(ranker instanceof PreRanker p)) {
                throw new ConfigProblem(config, "pre-ranker", "annotator '" + settings.preRanker()
                        + "' cannot pre-rank (it does not implement PreRanker; a trained reward model's annotator does)");
            }
            this.preRanker = p;
            owned.add(ranker);
        }
    }

    @Override
    public void run(StageContext ctx) throws Exception {
        try (AutoCloseable annotatorsClosed = Closeables.all(owned);
             AnnotationStore store = AnnotationStore.open(settings.jdbcUrl(ctx.run().directory()))) {
            List<AnnotationTask> tasks = load(ctx, store);
            tasks.addAll(stepEdits(store, tasks));
            screen(store, tasks);
            Map<String, Status> status = store.tasks().statuses();
            List<AnnotationTask> open = tasks.stream()
                    .filter(t -> status.get(t.id()) == Status.NEW || status.get(t.id()) == Status.QUEUED
                            || status.get(t.id()) == Status.COMPLETE).toList();
            for (Annotator a : annotators) {
                collect(store, a, open);
            }
            AnnotationExports.Counts c = new AnnotationExports(settings).write(store, ctx.staging());
            log.info("annotate: {} task(s), {} preference pair(s), {} safety pair(s), {} edited SFT record(s),"
                    + " {} A/B judgement(s), {} label(s) excluded", tasks.size(), c.preferencePairs(), c.safetyPairs(),
                    c.sftRecords(), c.judgements(), c.excludedLabels());
            ctx.run().metrics().log(ctx.stage(), -1, Map.of("tasks", tasks.size(), "preference_pairs", c.preferencePairs(),
                    "safety_pairs", c.safetyPairs(), "sft_records", c.sftRecords(), "judgements", c.judgements(),
                    "excluded_labels", c.excludedLabels()));
        }
    }

    /** Reads every task file into the store; returns the tasks in file order. */
    private List<AnnotationTask> load(StageContext ctx, AnnotationStore store) throws Exception {
        List<AnnotationTask> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (AnnotateSettings.TaskFile f : settings.tasks()) {
            Path file = f.path() != null ? f.path() : ctx.input(f.input());
            if (!Files.isRegularFile(file)) {
                throw new StageFailure("annotate.tasks: no task file " + file.toAbsolutePath());
            }
            for (TaskFiles.Loaded l : TaskFiles.read(file, f.format(), f.labelled())) {
                if (!seen.add(l.task().id())) {
                    throw new StageFailure(l.task().meta().get("source_file") + ":" + l.task().meta().get("source_line")
                            + ": task id '" + l.task().id() + "' appears twice");
                }
                double priority = l.imported() == null && preRanker != null ? PreRanker.margin(preRanker.scores(l.task())) : 0;
                int version = store.tasks().put(l.task(), l.gold(), priority, l.conversation());
                if (l.imported() != null) {
                    store.labels().add("import:" + l.task().id() + ":v" + version, version, LabelStore.Source.IMPORT, l.imported());
                    store.tasks().setStatus(l.task().id(), Status.LABELLED, "import", "labels imported from " + file);
                }
                out.add(l.task());
            }
        }
        return out;
    }

    /** An editing task for each answer of a step-by-step prompt that has no ordered steps. */
    private List<AnnotationTask> stepEdits(AnnotationStore store, List<AnnotationTask> tasks) {
        List<AnnotationTask> out = new ArrayList<>();
        for (AnnotationTask t : tasks) {
            if (t.kind() == AnnotationTask.Kind.EDIT || !settings.stepCheck().asksForSteps(t.prompt())) {
                continue;
            }
            for (int i = 0; i < t.answers().size(); i++) {
                String answer = t.answers().get(i);
                if (settings.stepCheck().steps(answer) < settings.stepCheck().minSteps()) {
                    Map<String, String> meta = new LinkedHashMap<>(t.meta());
                    meta.put("instructions", "The prompt asks for steps; rewrite the answer as ordered steps (1., 2., 3. ...).");
                    meta.put("derived_from", t.id());
                    AnnotationTask edit = new AnnotationTask(t.id() + "/steps-" + i, AnnotationTask.Kind.EDIT, t.prompt(),
                            List.of(answer), meta);
                    store.tasks().put(edit, null, 0);
                    out.add(edit);
                }
            }
        }
        if (!out.isEmpty()) {
            log.info("annotate: {} answer(s) of step-by-step prompts lack ordered steps: queued for editing", out.size());
        }
        return out;
    }

    /** Sends every new task through the prompt screening; flagged ones go to the admin review queue. */
    private void screen(AnnotationStore store, List<AnnotationTask> tasks) throws Exception {
        Map<String, Status> status = store.tasks().statuses();
        List<AnnotationTask> fresh = tasks.stream().filter(t -> status.get(t.id()) == Status.NEW).toList();
        Map<String, List<String>> flagged = screening.screen(fresh);
        for (Map.Entry<String, List<String>> e : flagged.entrySet()) {
            store.tasks().setStatus(e.getKey(), Status.REVIEW, "screening", String.join("; ", e.getValue()));
        }
        if (!flagged.isEmpty()) {
            log.warn("annotate: {} task(s) flagged by screening wait in the admin review queue, hidden from annotators",
                    flagged.size());
        }
    }

    /** Asks one annotator about the open tasks, in batches, and stores what it says (people's labels are stored already). */
    private void collect(AnnotationStore store, Annotator annotator, List<AnnotationTask> open) throws Exception {
        if (annotator instanceof HumanAnnotator) {
            annotator.annotate(open);
            return;
        }
        Map<String, AnnotationTask> byId = new LinkedHashMap<>();
        open.forEach(t -> byId.put(t.id(), t));
        for (int from = 0; from < open.size(); from += BATCH) {
            List<AnnotationTask> batch = open.subList(from, Math.min(open.size(), from + BATCH));
            for (Label label : annotator.annotate(batch)) {
                if (!byId.containsKey(label.taskId())) {
                    throw new StageFailure("annotator " + label.annotator() + " returned a label for '" + label.taskId()
                            + "', which it was not asked about");
                }
                int version = store.tasks().latest(label.taskId()).map(TaskStore.StoredTask::version).orElseThrow();
                store.labels().add("machine:" + label.annotator() + ":" + label.taskId() + ":v" + version, version,
                        LabelStore.Source.MACHINE, label);
            }
        }
    }
}
