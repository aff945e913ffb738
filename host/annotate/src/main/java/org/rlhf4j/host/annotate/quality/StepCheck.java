package org.rlhf4j.host.annotate.quality;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Step-by-step prompts need answers with ordered steps: a prompt that asks for steps (the
 * {@code annotate.steps.prompt-pattern}) and an answer with fewer than {@code min-steps} numbered lines
 * (the {@code step-pattern}) is flagged for editing.
 */
public record StepCheck(Pattern promptPattern, Pattern stepPattern, int minSteps) {

    /** True when {@code prompt} asks for step-by-step work. */
    public boolean asksForSteps(String prompt) {
        return promptPattern.matcher(prompt).find();
    }

    /** How many ordered steps {@code answer} has. */
    public int steps(String answer) {
        Matcher m = stepPattern.matcher(answer);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** True when the prompt asks for steps and the answer does not give them. */
    public boolean missingSteps(String prompt, String answer) {
        return asksForSteps(prompt) && steps(answer) < minSteps;
    }
}
