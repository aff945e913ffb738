package org.rlhf4j.host.train;

import com.typesafe.config.Config;
import java.util.Locale;
import java.util.Map;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.RunContext;
import org.rlhf4j.api.stage.StageFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a stage does with a record longer than the model's context ({@code <stage>.over-long}): real preference
 * and chat data have them (public HH-RLHF pairs reach 500+ tokens). {@code truncate} (the default) keeps what the
 * stage trains on whole and cuts the rest: the start of a prompt (its end, next to the answer, stays), or for SFT the
 * end of a conversation (DeepSpeed-Chat's truncation at max_seq_len); a record that still cannot fit is dropped.
 * {@code drop} leaves the record out (TRL's way for over-long pairs). {@code fail} stops naming the record. A
 * {@link Tally} counts what was done; the stage logs it and writes it to metrics.jsonl.
 */
public enum OverLong {
    TRUNCATE, DROP, FAIL;

    private static final Logger log = LoggerFactory.getLogger(OverLong.class);

    /** The policy at {@code over-long} of a stage's settings. */
    public static OverLong from(Config settings) {
        String v = settings.getString("over-long");
        try {
            return valueOf(v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigProblem(settings, "over-long", "must be truncate, drop or fail, got '" + v + "'");
        }
    }

    /** What one stage did to its over-long records. */
    public static final class Tally {
        private final String stage;
        private final OverLong policy;
        private int truncated;
        private int dropped;

        public Tally(String stage, OverLong policy) {
            this.stage = stage;
            this.policy = policy;
        }

        public OverLong policy() {
            return policy;
        }

        public String stage() {
            return stage;
        }

        /**
         * Handles one over-long record: under {@code fail} throws naming it; otherwise counts it and says whether to
         * keep it ({@code fits}: a truncated form fits the context).
         */
        public boolean handle(String record, int tokens, int context, boolean fits) {
            if (policy == FAIL) {
                throw new StageFailure("stage " + stage + ": " + record + " is " + tokens + " tokens, longer than the model's context of "
                        + context + " (" + stage + ".over-long = fail; truncate or drop let such records through)");
            }
            if (policy == TRUNCATE && fits) {
                truncated++;
                return true;
            }
            dropped++;
            return false;
        }

        public int truncated() {
            return truncated;
        }

        public int dropped() {
            return dropped;
        }

        /** Logs the counts (when any) and writes them to the run's metrics at step 0. */
        public void report(RunContext run, int total) {
            if (truncated + dropped == 0) {
                return;
            }
            log.warn("{}: {} of {} records were longer than the model's context: {} truncated, {} dropped ({}.over-long = {})",
                    stage, truncated + dropped, total, truncated, dropped, stage, policy.name().toLowerCase(Locale.ROOT));
            run.metrics().log(stage, 0, Map.of("over-long-truncated", truncated, "over-long-dropped", dropped));
        }
    }
}
