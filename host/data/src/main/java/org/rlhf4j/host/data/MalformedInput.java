package org.rlhf4j.host.data;

import java.util.ArrayList;
import java.util.List;
import org.rlhf4j.api.stage.StageFailure;

/**
 * What a source does with a malformed line or record: under {@code on-error = fail} the run stops
 * naming file and line; under {@code skip} it is counted and the first {@value #KEPT} are kept, with
 * file, line and why, for the report. Thread-confined, like the stream that owns it.
 */
public final class MalformedInput {

    static final int KEPT = 50;

    /** One skipped line. */
    public record Skipped(String file, long line, String why) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + why;
        }
    }

    private final SourceSpec.OnError policy;
    private final List<Skipped> examples = new ArrayList<>();
    private long count;

    public MalformedInput(SourceSpec.OnError policy) {
        this.policy = policy;
    }

    /** Reports one malformed line: throws under {@code fail}, else counts it. */
    public void report(String file, long line, String why) {
        if (policy == SourceSpec.OnError.FAIL) {
            throw new StageFailure(file + ":" + line + ": " + why + " (on-error = fail; set on-error = skip to skip such lines)");
        }
        count++;
        if (examples.size() < KEPT) {
            examples.add(new Skipped(file, line, why));
        }
    }

    public long count() {
        return count;
    }

    /** The first skipped lines, in the order met. */
    public List<Skipped> examples() {
        return List.copyOf(examples);
    }
}
