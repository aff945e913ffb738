package org.rlhf4j.api.ppo;

/**
 * One rollout batch as a {@link PpoScheduler} sees it: B sequences, T answer positions (the tokens the
 * actor generated, left-aligned; row i of every array is sequence i). Plain arrays: the rollout-time
 * math (rewards, GAE, whitening) needs no gradients and is checked on hand-computed values.
 *
 * @param logProbs (B, T) log-probabilities of the generated tokens under the actor at rollout time
 * @param refLogProbs (B, T) the same under the frozen reference
 * @param values (B, T) the critic's value at each answer position, or, when the scheduler asks for
 *        {@link PpoScheduler#valuePerSequence()}, the sequence's one value on each of its answer positions
 * @param scores (B) the reward model's score of each whole answer
 * @param tokenScores (B, T) per-token rewards from a reward function, added elementwise (TrlX), or null
 * @param mask (B, T) 1 where a position is an answer token the actor produced, else 0; a multi-turn
 *        answer may have gaps (other speakers' turns) inside
 * @param groupSize K, the answers sampled per prompt ({@code ppo.samples-per-prompt}): rows {@code g*K} to
 *        {@code g*K + K - 1} answer the same prompt, so B is a multiple of K; 1 when every row has a prompt of its
 *        own (since 0.2.4; the six-argument constructor gives 1)
 *
 * @since 0.1.0
 */
public record Experience(float[][] logProbs, float[][] refLogProbs, float[][] values, float[] scores,
                         float[][] tokenScores, float[][] mask, int groupSize) {

    public Experience {
        int b = mask.length;
        if (logProbs.length != b || refLogProbs.length != b || values.length != b || scores.length != b
                || (tokenScores != null && tokenScores.length != b)) {
            throw new IllegalArgumentException("every array of an Experience needs B = " + b + " rows");
        }
        if (groupSize < 1 || b % groupSize != 0) {
            throw new IllegalArgumentException("B = " + b + " rows do not split into groups of " + groupSize);
        }
    }

    /** One answer per prompt (group size 1), as before 0.2.4. */
    public Experience(float[][] logProbs, float[][] refLogProbs, float[][] values, float[] scores,
                      float[][] tokenScores, float[][] mask) {
        this(logProbs, refLogProbs, values, scores, tokenScores, mask, 1);
    }

    /**
     * These rows with other scores (reward shaping), every other array and the group size kept.
     *
     * @since 0.2.4
     */
    public Experience withScores(float[] newScores) {
        return new Experience(logProbs, refLogProbs, values, newScores, tokenScores, mask, groupSize);
    }

    /** B. */
    public int batchSize() {
        return mask.length;
    }

    /** T. */
    public int length() {
        return mask.length == 0 ? 0 : mask[0].length;
    }
}
