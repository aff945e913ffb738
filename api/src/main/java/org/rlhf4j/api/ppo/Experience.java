package org.rlhf4j.api.ppo;

import ai.djl.ndarray.NDArray;

/**
 * One rollout batch as the PPO scheduler sees it. B sequences, T answer positions (the tokens the
 * actor generated, left-aligned), all arrays on the training device.
 *
 * @param logProbs (B, T) log-probabilities of the generated tokens under the actor at rollout time
 * @param refLogProbs (B, T) the same under the frozen reference
 * @param values (B, T) the critic's values at each position
 * @param scores (B) the reward model's score of each whole answer
 * @param actionMask (B, T) 1 where a position is an answer token the actor produced, else 0
 */
public record Experience(NDArray logProbs, NDArray refLogProbs, NDArray values, NDArray scores, NDArray actionMask) {
}
