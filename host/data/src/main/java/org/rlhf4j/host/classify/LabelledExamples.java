package org.rlhf4j.host.classify;

import org.rlhf4j.host.records.SourceEntries;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.Extensions;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.text.TextNormalizer;

/**
 * Labelled examples for the in-process classifiers, read through the same {@link DataSource}s as
 * {@code acquire.sources} (a list of {@code {type, path, ...}} entries), and their seeded split into
 * training and held-out parts.
 */
public final class LabelledExamples {

    /** One example: its id, text and label. */
    public record Example(String id, String text, String label) {
    }

    private LabelledExamples() {
    }

    /**
     * Reads every record of the source entries at {@code key}, labelling each with {@code label}
     * (a fixed label, or one read from the record, e.g. its category).
     */
    public static List<Example> read(Extensions extensions, Config settings, String key,
                                     Function<Record, String> text, Function<Record, String> label) {
        List<Example> out = new ArrayList<>();
        // unnamed entries are <key>-0, <key>-1 ...: the names go into the examples' ids, which pick the held-out part
        SourceEntries entries = SourceEntries.of(extensions, settings, key, (k, index, spec) -> spec.hasPath("name") ? spec
                : spec.withValue("name", ConfigValueFactory.fromAnyRef(k + "-" + index)));
        entries.read(r -> {
            String l = label.apply(r);
            if (l != null) {
                out.add(new Example(r.id(), text.apply(r), l));
            }
        });
        return out;
    }

    /** True when an example goes to the held-out part: a seeded hash of its id below {@code fraction}. */
    public static boolean heldOut(String id, double fraction, long seed) {
        long h = TextNormalizer.mix(TextNormalizer.hash64(id) ^ seed);
        return (h >>> 11) * 0x1.0p-53 < fraction;
    }
}
