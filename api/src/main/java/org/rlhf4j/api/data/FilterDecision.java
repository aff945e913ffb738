package org.rlhf4j.api.data;

import java.util.Objects;

/**
 * What a {@link RecordFilter} decided for one record: keep it as is, drop it with a reason, or keep a
 * rewritten copy (e.g. with private data redacted) with a reason.
 *
 * @since 0.1.0
 */
public record FilterDecision(Action action, Record record, String reason) {

    /** The three outcomes. */
    public enum Action { KEEP, DROP, MODIFY }

    public FilterDecision {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(record, "record");
        if (action != Action.KEEP && (reason == null || reason.isBlank())) {
            throw new IllegalArgumentException(action + " needs a reason");
        }
    }

    public static FilterDecision keep(Record record) {
        return new FilterDecision(Action.KEEP, record, null);
    }

    public static FilterDecision drop(Record record, String reason) {
        return new FilterDecision(Action.DROP, record, reason);
    }

    public static FilterDecision modify(Record rewritten, String reason) {
        return new FilterDecision(Action.MODIFY, rewritten, reason);
    }
}
