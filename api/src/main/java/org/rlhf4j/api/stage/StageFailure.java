package org.rlhf4j.api.stage;

/**
 * A stage failed for a reason the user can act on (bad input, a NaN loss, a missing output of an
 * earlier stage). The host prints the message without a stack trace, with the stage named, and exits
 * with the run-failure code. Say what failed and where: file and line, record, step.
 *
 * @since 0.1.0
 */
public class StageFailure extends RuntimeException {

    public StageFailure(String message) {
        super(message);
    }

    public StageFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
