package org.rlhf4j.host.annotate.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rlhf4j.api.annotate.AnnotationTask;
import org.rlhf4j.api.annotate.Label;
import org.rlhf4j.api.data.Message;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.annotate.settings.AnnotateSettings;
import org.rlhf4j.host.annotate.quality.Krippendorff;
import org.rlhf4j.host.annotate.quality.LabelQuality;
import org.rlhf4j.host.annotate.store.AnnotationStore;
import org.rlhf4j.host.annotate.store.LabelStore;
import org.rlhf4j.host.annotate.store.LabelStore.StoredLabel;
import org.rlhf4j.host.annotate.store.TaskStore;
import org.rlhf4j.host.annotate.store.TaskStore.StoredTask;
import org.rlhf4j.host.records.RecordJsonl;

/**
 * Writes what the labels in the store add up to, laid out like the run directory:
 * <ul>
 *   <li>{@code data/preferences.jsonl}: ranking pairs as PREFERENCE records (the reward stage's input);</li>
 *   <li>{@code data/safety-preferences.jsonl}: safety pairs in PKU-SafeRLHF's fields;</li>
 *   <li>{@code data/sft-edited.jsonl}: edited prompts and answers as CONVERSATION records;</li>
 *   <li>{@code data/win-rates.json}: blind A/B results per category;</li>
 *   <li>{@code data/annotation-quality.json}: agreement, gold scores and flagged labels.</li>
 * </ul>
 * Only the latest label per task and annotator counts; gold items, tasks under review or rejected, and
 * labels flagged with an excluded flag stay out. {@link TrlExports} writes the same selection in TRL's layouts.
 */
public final class AnnotationExports {

    /** How many of each were written. */
    public record Counts(int preferencePairs, int safetyPairs, int sftRecords, int judgements, int excludedLabels) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper LINES = new ObjectMapper();

    private final AnnotateSettings settings;

    public AnnotationExports(AnnotateSettings settings) {
        this.settings = settings;
    }

    /**
     * What the exports are made of: the tasks that count (not gold, not under review or rejected, with at least
     * one label included) in order of creation, and their included labels.
     */
    record Selection(List<StoredTask> tasks, Map<String, List<Label>> labels, Map<String, Integer> revisions,
                     LabelQuality.Report report, int latest, int excluded) {
    }

    /** The latest label per task and annotator that is not excluded, for the tasks that count. */
    Selection select(AnnotationStore store) {
        Map<String, TaskStore.Status> status = store.tasks().statuses();
        List<StoredTask> tasks = store.tasks().all();
        List<StoredLabel> all = store.labels().all();
        List<StoredLabel> latest = LabelStore.latest(all);
        LabelQuality.Report report = new LabelQuality(settings.goldMinAgreement(), settings.minGoldLabels()).assess(tasks, latest);
        Map<String, List<Label>> included = new LinkedHashMap<>();
        int excluded = 0;
        for (StoredLabel s : latest) {
            if (report.excluded(s, settings.exclude())) {
                excluded++;
            } else {
                included.computeIfAbsent(s.label().taskId(), k -> new ArrayList<>()).add(s.label());
            }
        }
        Map<String, Integer> revisions = new TreeMap<>();
        all.forEach(s -> revisions.merge(s.label().taskId(), 1, Integer::sum));
        List<StoredTask> counted = new ArrayList<>();
        for (StoredTask st : tasks) {
            TaskStore.Status s = status.get(st.task().id());
            if (!st.isGold() && s != TaskStore.Status.REVIEW && s != TaskStore.Status.REJECTED
                    && included.containsKey(st.task().id())) {
                counted.add(st);
            }
        }
        return new Selection(counted, included, revisions, report, latest.size(), excluded);
    }

    /** Writes every export under {@code root}. */
    public Counts write(AnnotationStore store, Path root) {
        Selection selection = select(store);
        List<Record> pairs = new ArrayList<>();
        List<ObjectNode> safety = new ArrayList<>();
        List<Record> sft = new ArrayList<>();
        WinRates wins = new WinRates();
        for (StoredTask st : selection.tasks()) {
            List<Label> labels = selection.labels().get(st.task().id());
            AnnotationTask t = st.task();
            switch (t.kind()) {
                case RANK -> pairs.addAll(PreferencePairs.pairs(t, labels, settings.aggregate()));
                case SAFETY -> {
                    ObjectNode o = PreferencePairs.safetyPair(t, labels);
                    if (o != null) {
                        safety.add(o);
                    }
                }
                case COMPARE -> wins.add(t, labels);
                case EDIT -> {
                    Record r = edited(t, labels.get(labels.size() - 1), selection.revisions().getOrDefault(t.id(), 0));
                    if (r != null) {
                        sft.add(r);
                    }
                }
                case CLASSIFY -> { }
            }
        }
        RecordJsonl.write(root.resolve("data/preferences.jsonl"), pairs);
        writeLines(root.resolve("data/safety-preferences.jsonl"), safety);
        RecordJsonl.write(root.resolve("data/sft-edited.jsonl"), sft);
        writeJson(root.resolve("data/win-rates.json"), wins.toJson(3));
        writeJson(root.resolve("data/annotation-quality.json"), quality(selection.report(), selection.latest(), selection.excluded()));
        return new Counts(pairs.size(), safety.size(), sft.size(), wins.judgements(), selection.excluded());
    }

    /** An edited prompt and answer as SFT data, or null when empty or still lacking the steps it needs. */
    Record edited(AnnotationTask task, Label last, int revisions) {
        String prompt = last.meta().getOrDefault("prompt", task.prompt()).trim();
        String answer = last.meta().getOrDefault("answer", "").trim();
        if (prompt.isEmpty() || answer.isEmpty()) {
            return null;
        }
        boolean missing = settings.stepCheck().missingSteps(prompt, answer);
        if (missing && settings.excludeMissingSteps()) {
            return null;
        }
        Map<String, String> meta = new TreeMap<>();
        PreferencePairs.copy(task.meta(), meta, "category", "lang");
        meta.put("editor", last.annotator());
        meta.put("revisions", String.valueOf(revisions));
        meta.put("steps_missing", String.valueOf(missing));
        return new Record(task.id(), Record.Kind.CONVERSATION, "", List.of(Message.user(prompt), Message.assistant(answer)),
                List.of(), meta, PreferencePairs.provenance(task));
    }

    private static ObjectNode quality(LabelQuality.Report report, int labels, int excluded) {
        ObjectNode o = JSON.createObjectNode();
        o.put("labels", labels);
        o.put("excluded", excluded);
        ObjectNode agreement = o.putObject("agreement");
        for (Map.Entry<String, Krippendorff.Agreement> e : report.agreement().entrySet()) {
            ObjectNode a = agreement.putObject(e.getKey());
            putNumber(a, "alpha", e.getValue().alpha());
            a.put("values", e.getValue().pairableValues());
            ObjectNode per = a.putObject("per_task");
            e.getValue().perTask().forEach((task, v) -> putNumber(per, task, v));
        }
        ObjectNode gold = o.putObject("gold");
        report.annotators().forEach((who, g) -> {
            ObjectNode a = gold.putObject(who).put("labels", g.goldLabels()).put("unreliable", g.unreliable());
            putNumber(a, "mean_agreement", g.meanAgreement());
        });
        ObjectNode flagged = o.putObject("flagged");
        report.flags().forEach((seq, flags) -> flags.forEach(flagged.putArray(String.valueOf(seq))::add));
        return o;
    }

    /** JSON has no NaN: an undefined measure is written as null. */
    private static void putNumber(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }

    private static void writeLines(Path file, List<ObjectNode> lines) {
        try {
            Files.createDirectories(file.getParent());
            try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                for (ObjectNode o : lines) {
                    w.write(LINES.writeValueAsString(o));
                    w.newLine();
                }
            }
        } catch (IOException e) {
            throw new StageFailure("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writeJson(Path file, ObjectNode o) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, JSON.writeValueAsString(o) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StageFailure("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
