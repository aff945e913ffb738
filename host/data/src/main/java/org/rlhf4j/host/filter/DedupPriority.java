package org.rlhf4j.host.filter;

import org.rlhf4j.host.text.RecordText;

import com.typesafe.config.Config;
import java.util.Comparator;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.data.Record;

/**
 * Which copy of a duplicate cluster is kept: the one with the highest priority, ties broken by the
 * smallest record id, so the choice depends neither on input order nor on threads.
 * {@code priority = length} prefers the longest text, {@code id} only the id, {@code meta.<field>} the
 * highest numeric meta value (e.g. a quality score or a source rank; missing counts as 0).
 */
public final class DedupPriority {

    /** One candidate: its id and its priority. */
    public record Candidate(String id, double priority) {
    }

    /** Best first: higher priority, then smaller id. */
    public static final Comparator<Candidate> BEST_FIRST = Comparator.comparingDouble((Candidate c) -> -c.priority())
            .thenComparing(Candidate::id);

    private final String spec;

    private DedupPriority(String spec) {
        this.spec = spec;
    }

    public static DedupPriority from(Config settings, String key) {
        String p = settings.getString(key);
        if (!p.equals("length") && !p.equals("id") && !(p.startsWith("meta.") && p.length() > 5)) {
            throw new ConfigProblem(settings, key, "must be length, id or meta.<field>, got '" + p + "'");
        }
        return new DedupPriority(p);
    }

    public Candidate of(Record r) {
        return new Candidate(r.id(), value(r));
    }

    private double value(Record r) {
        if (spec.equals("length")) {
            return RecordText.of(r).length();
        }
        if (spec.equals("id")) {
            return 0;
        }
        String v = r.meta().get(spec.substring(5));
        try {
            return v == null ? 0 : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The better of two candidates. */
    public static Candidate best(Candidate a, Candidate b) {
        return BEST_FIRST.compare(a, b) <= 0 ? a : b;
    }
}
