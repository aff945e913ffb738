package org.rlhf4j.api.reward;

/**
 * A reward for one answer: one number, or one number per answer token (added elementwise to the
 * per-token rewards, as TrlX allows), or both.
 *
 * @param score the sequence score, placed by the PPO scheduler (e.g. at the last answer token)
 * @param perToken per answer token rewards, or null
 *
 * @since 0.1.0
 */
public record Reward(double score, float[] perToken) {

    public static Reward of(double score) {
        return new Reward(score, null);
    }
}
