package org.rlhf4j.host.trainer;

import java.util.SplittableRandom;

/** Where a trainer's micro-batches come from; the random stream is the caller's, so a run can be replayed. */
public interface Batches {

    /** The next micro-batch, drawn with {@code rng}. */
    Batch next(SplittableRandom rng);
}
