package org.rlhf4j.host.evaluate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rlhf4j.api.annotate.AnnotationTask;
import org.rlhf4j.api.annotate.Label;
import org.rlhf4j.host.annotate.export.WinRates;
import org.rlhf4j.host.annotate.quality.PromptScreening;
import org.rlhf4j.host.annotate.store.AnnotationStore;
import org.rlhf4j.host.annotate.store.LabelStore;
import org.rlhf4j.host.annotate.store.TaskStore;

/**
 * People as the judge: every pair becomes a blind A/B {@code COMPARE} task in the annotation store (answer
 * A the previous model's, B the evaluated one's; the web app draws the order it shows per person and never
 * shows model names). New tasks pass the same prompt screening as the annotate stage's, then wait in the
 * queue; the run does not wait for them. The judgements people have already given to the current version
 * of a task are the verdicts, each with its reason; the annotate stage exports all of them as
 * {@code data/win-rates.json}.
 */
final class HumanJudge implements PairJudge {

    private final String jdbcUrl;
    private final PromptScreening screening;
    private final String label;
    private final String previousLabel;
    private int queued;
    private ObjectNode winRates;

    HumanJudge(String jdbcUrl, PromptScreening screening, String label, String previousLabel) {
        this.jdbcUrl = jdbcUrl;
        this.screening = screening;
        this.label = label;
        this.previousLabel = previousLabel;
    }

    @Override
    public String name() {
        return "humans";
    }

    /** The task id of an evaluation prompt: stable across runs, so people's labels are found again. */
    String taskId(EvalSet.Item item) {
        return "evaluate:" + label + ":" + item.id();
    }

    @Override
    public List<Verdict> judge(List<Pair> pairs) throws Exception {
        try (AnnotationStore store = AnnotationStore.open(jdbcUrl)) {
            Map<String, Integer> index = new HashMap<>();
            Map<String, Integer> versions = new HashMap<>();
            Map<String, AnnotationTask> tasks = new LinkedHashMap<>();
            for (int i = 0; i < pairs.size(); i++) {
                Pair p = pairs.get(i);
                AnnotationTask t = new AnnotationTask(taskId(p.item()), AnnotationTask.Kind.COMPARE, p.item().prompt(),
                        List.of(p.previous(), p.current()), Map.of("category", p.item().category(), "model_a", previousLabel,
                        "model_b", label, "source", "evaluate"));
                index.put(t.id(), i);
                versions.put(t.id(), store.tasks().put(t, null, 0));
                tasks.put(t.id(), t);
            }
            queue(store, new ArrayList<>(tasks.values()));
            WinRates rates = new WinRates();
            Map<String, List<Label>> byTask = new HashMap<>();
            List<Verdict> out = new ArrayList<>();
            for (LabelStore.StoredLabel s : LabelStore.latest(store.labels().all())) {
                String id = s.label().taskId();
                if (s.source() != LabelStore.Source.WEB || !index.containsKey(id) || s.taskVersion() != versions.get(id)
                        || s.label().ranks().size() != 2) {
                    continue;
                }
                byTask.computeIfAbsent(id, k -> new ArrayList<>()).add(s.label());
                int c = Integer.compare(s.label().ranks().get(0), s.label().ranks().get(1)); // < 0: A, the previous model
                Winner w = c == 0 ? Winner.TIE : c < 0 ? Winner.PREVIOUS : Winner.CURRENT;
                String reason = s.label().reason();
                out.add(new Verdict(index.get(id), w, reason == null || reason.isBlank() ? List.of() : List.of(reason.trim())));
            }
            byTask.forEach((id, labels) -> rates.add(tasks.get(id), labels));
            winRates = rates.toJson(3);
            return out;
        }
    }

    /** Screens the tasks not yet queued: flagged ones go to the admin review queue, the rest to people. */
    private void queue(AnnotationStore store, List<AnnotationTask> tasks) throws Exception {
        Map<String, TaskStore.Status> status = store.tasks().statuses();
        List<AnnotationTask> fresh = tasks.stream().filter(t -> status.get(t.id()) == TaskStore.Status.NEW).toList();
        Map<String, List<String>> flagged = screening.screen(fresh);
        for (AnnotationTask t : fresh) {
            if (flagged.containsKey(t.id())) {
                store.tasks().setStatus(t.id(), TaskStore.Status.REVIEW, "screening", String.join("; ", flagged.get(t.id())));
            } else {
                store.tasks().setStatus(t.id(), TaskStore.Status.QUEUED, "evaluate", "blind A/B comparison for people");
                queued++;
            }
        }
    }

    /** Tasks queued by this call (not counting those queued by earlier runs). */
    int queued() {
        return queued;
    }

    /** The annotate package's per-category win rates of the judgements found, with their reasons. */
    ObjectNode winRates() {
        return winRates;
    }
}
