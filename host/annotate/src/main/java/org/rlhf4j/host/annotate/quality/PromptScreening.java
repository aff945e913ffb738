package org.rlhf4j.host.annotate.quality;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rlhf4j.api.annotate.AnnotationTask;
import org.rlhf4j.api.annotate.Annotator;
import org.rlhf4j.api.annotate.Label;

/**
 * Catches harmful or misleading labelling prompts before anyone sees them: each task's prompt goes through
 * the safety annotators ({@code annotate.screening.safety-annotators}; a label with meta
 * {@code prompt_safe = false} flags it) and through the {@link InstructionCheck} (prompt and the task's own
 * {@code instructions}). A flagged task belongs in the admin review queue, never with annotators.
 */
public final class PromptScreening {

    private final List<Annotator> safetyAnnotators;
    private final InstructionCheck instructions;

    public PromptScreening(List<Annotator> safetyAnnotators, InstructionCheck instructions) {
        this.safetyAnnotators = List.copyOf(safetyAnnotators);
        this.instructions = instructions;
    }

    /** The reasons each flagged task was flagged, by task id; tasks that pass are absent. */
    public Map<String, List<String>> screen(List<AnnotationTask> tasks) throws Exception {
        Map<String, List<String>> flagged = new LinkedHashMap<>();
        for (Annotator a : safetyAnnotators) {
            for (Label label : a.annotate(tasks)) {
                if ("false".equals(label.meta().get("prompt_safe"))) {
                    String why = label.meta().getOrDefault("prompt_flags", "");
                    String rules = label.meta().getOrDefault("rules", "");
                    flagged.computeIfAbsent(label.taskId(), k -> new ArrayList<>()).add("unsafe prompt (" + label.annotator()
                            + (why.isEmpty() ? "" : ": " + why) + (rules.isEmpty() ? "" : ", rules " + rules) + ")");
                }
            }
        }
        for (AnnotationTask t : tasks) {
            String shown = t.prompt() + "\n" + t.meta().getOrDefault("instructions", "");
            for (InstructionCheck.Finding f : instructions.check(shown)) {
                flagged.computeIfAbsent(t.id(), k -> new ArrayList<>()).add(f.toString());
            }
        }
        return flagged;
    }
}
