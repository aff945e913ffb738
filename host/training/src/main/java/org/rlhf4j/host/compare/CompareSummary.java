package org.rlhf4j.host.compare;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code compare.json}: the comparison's name, its variants (run file, overrides, folder), the stages they share,
 * whether those were listed ({@code compare.shared-stages}) or decided, why the next stage is not shared, and
 * whether each run had a JVM of its own.
 */
record CompareSummary(String name, List<Variant> variants, @JsonProperty("shared-stages") List<String> sharedStages,
                      @JsonProperty("shared-stages-listed") boolean sharedStagesListed,
                      @JsonProperty("not-shared-because") String notSharedBecause, boolean fork) {

    /** One variant: its name, run file, overrides ({@code key=value}) and run folder. */
    record Variant(String name, String config, List<String> set, String directory) {
    }

    static CompareSummary from(CompareSpec spec, SharedStages.Decision decision) {
        List<Variant> variants = spec.variants().stream()
                .map(v -> new Variant(v.name(), v.config().toString(), v.sets(), spec.directory(v).toString()))
                .toList();
        return new CompareSummary(spec.name(), variants, decision.stages(), spec.sharedStages() != null, decision.stopReason(),
                spec.fork());
    }
}
