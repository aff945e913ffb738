package org.rlhf4j.host.reward;

import org.rlhf4j.api.stage.StageFailure;

/**
 * A reward could not score one answer of the batch it was given (e.g. its prompt has no expected answer): the index
 * tells the caller, which knows each answer's record, to name the record's file and line.
 */
public final class AnswerFailure extends StageFailure {

    private final int index;

    public AnswerFailure(int index, String message) {
        super(message);
        this.index = index;
    }

    /** The answer's position in the batch given to {@code score}. */
    public int index() {
        return index;
    }
}
