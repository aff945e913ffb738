package org.rlhf4j.host.annotate.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.rlhf4j.api.annotate.AnnotationTask;
import org.rlhf4j.host.annotate.quality.StepCheck;
import org.rlhf4j.host.annotate.store.TaskStore.StoredTask;

/**
 * What an annotator is shown of a task: the prompt, the answers in display order, the category and the
 * task's own instructions, never gold answers, model names, other people's labels or where it came from.
 * A comparison is shown blind ({@link Blinding}): under an alias, its answers in an order drawn per task
 * and annotator; submitted arrays are mapped back to the stored order.
 */
final class TaskView {

    private TaskView() {
    }

    /** The task as the annotator sees it: {@code shownId} and {@code order} come from {@link Blinding}. */
    static ObjectNode of(StoredTask t, String shownId, List<Integer> order, StepCheck steps) {
        AnnotationTask task = t.task();
        ObjectNode o = Exchange.JSON.createObjectNode();
        o.put("id", shownId);
        o.put("version", t.version());
        o.put("kind", task.kind().name().toLowerCase(java.util.Locale.ROOT));
        o.put("prompt", task.prompt());
        o.put("category", task.meta().getOrDefault("category", ""));
        o.put("instructions", task.meta().getOrDefault("instructions", ""));
        boolean stepwise = steps.asksForSteps(task.prompt());
        o.put("step_by_step", stepwise);
        var answers = o.putArray("answers");
        var missing = o.putArray("steps_missing");
        for (int i : order) {
            String a = task.answers().get(i);
            answers.add(a);
            missing.add(stepwise && steps.steps(a) < steps.minSteps());
        }
        return o;
    }
}
