package org.rlhf4j.host.annotate.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.rlhf4j.api.annotate.AnnotationTask;
import org.rlhf4j.host.annotate.quality.StepCheck;
import org.rlhf4j.host.annotate.store.TaskStore.StoredTask;

/**
 * What an annotator is shown of a task: the prompt, the answers in display order, the category and the
 * task's own instructions, never gold answers, model names, other people's labels or where it came from.
 * A comparison's two answers are shown in an order drawn per task and annotator (blind A/B): the same
 * person always sees the same order, and submitted arrays are mapped back to the stored order.
 */
final class TaskView {

    private TaskView() {
    }

    /** Display position to stored index, for {@code annotator}. */
    static List<Integer> order(StoredTask t, String annotator) {
        int k = t.task().answers().size();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            order.add(i);
        }
        if (t.task().kind() == AnnotationTask.Kind.COMPARE && k == 2) {
            int h = (t.task().id() + "\u0000" + annotator).hashCode();
            if (((h ^ (h >>> 16)) & 1) == 1) {
                return List.of(1, 0);
            }
        }
        return order;
    }

    /** The task as the annotator sees it. */
    static ObjectNode of(StoredTask t, String annotator, StepCheck steps) {
        AnnotationTask task = t.task();
        ObjectNode o = Exchange.JSON.createObjectNode();
        o.put("id", task.id());
        o.put("version", t.version());
        o.put("kind", task.kind().name().toLowerCase(java.util.Locale.ROOT));
        o.put("prompt", task.prompt());
        o.put("category", task.meta().getOrDefault("category", ""));
        o.put("instructions", task.meta().getOrDefault("instructions", ""));
        boolean stepwise = steps.asksForSteps(task.prompt());
        o.put("step_by_step", stepwise);
        var answers = o.putArray("answers");
        var missing = o.putArray("steps_missing");
        for (int i : order(t, annotator)) {
            String a = task.answers().get(i);
            answers.add(a);
            missing.add(stepwise && steps.steps(a) < steps.minSteps());
        }
        return o;
    }
}
