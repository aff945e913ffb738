package org.rlhf4j.host.ppo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import org.rlhf4j.api.ppo.Experience;
import org.rlhf4j.api.ppo.PpoMath;
import org.rlhf4j.api.reward.PromptAnswer;
import org.rlhf4j.api.reward.Reward;
import org.rlhf4j.api.reward.RewardModel;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.model.Gpt;
import org.rlhf4j.host.model.tokenizer.Tokenizer;
import org.rlhf4j.host.reward.AnswerFailure;

/**
 * What scoring adds to a rollout: phase 2 of a PPO step ({@link PpoStage} numbers the phases). The actor's and
 * the reference's log-probabilities of the answer tokens, the critic's values and the reward's scores, as the
 * scheduler sees them ({@link #reward()}); for safe PPO the same with the cost critic's values and the cost
 * model's scores ({@link #cost()}). Every forward pass runs with dropout off, so at step 0 the update's first
 * ratio is exactly 1. With actor LoRA the reference pass is the actor's own forward with its adapters off
 * ({@link PpoModels#reference}).
 *
 * @param stage the stage's name and {@code step} the step (from 1), which errors downstream name
 * @param rollout phase 1's samples
 * @param reward the reward side: (B, N) log-probabilities, reference log-probabilities, values and the scores
 * @param cost the cost side (the same log-probabilities, the cost critic's values, or 0 without a cost critic, the
 *     cost model's scores), or null without a safety constraint
 * @param entropy the policy's mean entropy over the answer tokens
 * @param scoreSeconds the time the forward passes and the scorers took
 */
record ScoredRollout(String stage, int step, Rollout rollout, Experience reward, Experience cost, float entropy,
                     double scoreSeconds) {

    /**
     * Scores {@code r}: the forward passes of actor, reference, critic and cost critic, each in a scope of its own
     * (its activations are freed before the next pass), then the reward model and, when {@code cost} is not null,
     * the cost model. A cost critic needs a cost model; a cost model without one (reward shaping) gives cost values of
     * 0. With {@code valuePerSequence} each critic gives one value per sequence
     * ({@link PolicyForward#values(Gpt, NDArray, PolicyForward.Tokens, boolean)}). {@code groupSize} is K, the
     * answers each prompt has in consecutive rows ({@link Experience#groupSize()}).
     */
    static ScoredRollout score(PpoModels models, Rollout r, RewardModel reward, RewardModel cost, boolean valuePerSequence,
                               int groupSize, String stage, int step) {
        if (cost == null && models.costCritic() != null) {
            throw new IllegalArgumentException("a cost critic needs a cost model");
        }
        long t0 = System.nanoTime();
        int[] all = new int[r.size()];
        Arrays.setAll(all, i -> i);
        Gpt actor = models.actor();
        Gpt critic = models.critic();
        float[][] logProbs;
        float[][] values = null;
        float entropy;
        try (NDManager m = actor.manager().newSubManager()) {
            PolicyForward.Tokens tokens = PolicyForward.tokens(r, all, m);
            NDArray actorHidden = PolicyForward.hidden(actor, tokens);
            logProbs = masked(PolicyForward.logProbs(actor, actorHidden, tokens), r.mask());
            entropy = PolicyForward.entropy(actor, actorHidden, tokens);
            if (critic == actor) {
                values = masked(PolicyForward.values(critic, actorHidden, tokens, valuePerSequence), r.mask());
            }
        }
        float[][] refLogProbs = pass(models.reference(), r, all, (t, h) -> PolicyForward.logProbs(models.reference(), h, t));
        if (critic == null) {
            values = new float[r.size()][r.newTokens()]; // a critic-free method: no value pass, zeros
        } else if (values == null) {
            values = pass(critic, r, all, (t, h) -> PolicyForward.values(critic, h, t, valuePerSequence));
        }
        Gpt costCritic = models.costCritic();
        float[][] costValues = costCritic == null ? new float[r.size()][r.newTokens()] // no cost critic: zeros
                : pass(costCritic, r, all, (t, h) -> PolicyForward.values(costCritic, h, t, valuePerSequence));
        List<PromptAnswer> pairs = pairs(r, models.tokenizer());
        List<Reward> rewards = rewards(reward, pairs, r.prompts(), stage, step, "reward");
        float[] scores = new float[r.size()];
        float[][] tokenScores = null;
        for (int i = 0; i < r.size(); i++) {
            scores[i] = (float) rewards.get(i).score();
            float[] perToken = rewards.get(i).perToken();
            if (perToken != null) {
                tokenScores = tokenScores == null ? new float[r.size()][r.newTokens()] : tokenScores;
                int len = r.answerLength(i);
                if (perToken.length != len) {
                    throw new StageFailure("stage " + stage + ", step " + step + ": the reward function gave "
                            + perToken.length + " per-token rewards for prompt " + r.prompts().get(i).id() + " ("
                            + r.prompts().get(i).where() + "), whose answer has " + len + " tokens");
                }
                System.arraycopy(perToken, 0, tokenScores[i], 0, len);
            }
        }
        Experience costSide = null;
        if (cost != null) {
            float[] costs = new float[r.size()];
            List<Reward> c = rewards(cost, pairs, r.prompts(), stage, step, "cost");
            for (int i = 0; i < r.size(); i++) {
                costs[i] = (float) c.get(i).score();
            }
            costSide = new Experience(logProbs, refLogProbs, costValues, costs, null, r.mask(), groupSize);
        }
        return new ScoredRollout(stage, step, r, new Experience(logProbs, refLogProbs, values, scores, tokenScores, r.mask(), groupSize),
                costSide, entropy, (System.nanoTime() - t0) / 1e9);
    }

    /** B. */
    int size() {
        return rollout.size();
    }

    /**
     * Calls a scorer (the reward or the cost model, {@code what}); a failing scorer, a wrong count or a NaN or
     * infinite score stops the stage naming the step and the prompt.
     */
    static List<Reward> rewards(RewardModel model, List<PromptAnswer> pairs, List<PromptSet.Prompt> prompts,
                                String stage, int step, String what) {
        List<Reward> out;
        try {
            out = model.score(pairs);
        } catch (AnswerFailure f) {
            PromptSet.Prompt p = f.index() >= 0 && f.index() < prompts.size() ? prompts.get(f.index()) : null;
            throw new StageFailure("stage " + stage + ", step " + step + ": the " + what + " model failed on the answer to "
                    + (p == null ? "answer " + f.index() : "prompt " + p.id() + " (" + p.where() + ")") + ": " + f.getMessage(), f);
        } catch (Exception e) {
            throw new StageFailure("stage " + stage + ", step " + step + ": the " + what + " model failed: " + e.getMessage(), e);
        }
        if (out == null || out.size() != pairs.size()) {
            throw new StageFailure("stage " + stage + ", step " + step + ": the " + what + " model returned "
                    + (out == null ? "nothing" : out.size() + " scores") + " for " + pairs.size() + " answers");
        }
        for (int i = 0; i < out.size(); i++) {
            if (!Double.isFinite(out.get(i).score())) {
                throw new StageFailure("stage " + stage + ", step " + step + ": the " + what + " of the answer to prompt "
                        + prompts.get(i).id() + " (" + prompts.get(i).where() + ") is " + out.get(i).score());
            }
        }
        return out;
    }

    /** What a scorer sees of each row: prompt, answer text, metadata, and one text piece per answer token. */
    private static List<PromptAnswer> pairs(Rollout r, Tokenizer tok) {
        List<PromptAnswer> pairs = new ArrayList<>();
        for (int i = 0; i < r.size(); i++) {
            List<String> pieces = new ArrayList<>();
            for (int id : r.answerIds()[i]) {
                pieces.add(tok.decode(new int[] {id})); // one piece per answer token, the stop token included
            }
            PromptSet.Prompt p = r.prompts().get(i);
            pairs.add(new PromptAnswer(p.text(), r.answers().get(i), p.meta(), pieces));
        }
        return pairs;
    }

    /** One model's forward pass over the rollout, read out by {@code read} (tokens, hidden) as masked (B, N) numbers. */
    private static float[][] pass(Gpt model, Rollout r, int[] rows, BiFunction<PolicyForward.Tokens, NDArray, NDArray> read) {
        try (NDManager m = model.manager().newSubManager()) {
            PolicyForward.Tokens t = PolicyForward.tokens(r, rows, m);
            return masked(read.apply(t, PolicyForward.hidden(model, t)), r.mask());
        }
    }

    /**
     * A (B, N) tensor as arrays, zero off the mask except at each row's end: the position right after its last answer
     * token (the first padding column) keeps its numbers, the log-probability of the padding token and the critic's
     * value at the answer's last token, which DeepSpeed-Chat's reward placement reads. Schedulers that follow the mask
     * never see them.
     */
    private static float[][] masked(NDArray a, float[][] mask) {
        float[] flat = a.toFloatArray();
        int n = mask[0].length;
        float[][] out = new float[mask.length][n];
        for (int i = 0; i < mask.length; i++) {
            int end = PpoMath.lastIndex(mask[i]) + 1;
            for (int t = 0; t < n; t++) {
                out[i][t] = t == end ? flat[i * n + t] : flat[i * n + t] * mask[i][t];
            }
        }
        return out;
    }
}
