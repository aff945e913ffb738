package org.rlhf4j.host.ppo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import org.rlhf4j.api.ppo.Experience;
import org.rlhf4j.api.reward.PromptAnswer;
import org.rlhf4j.api.reward.Reward;
import org.rlhf4j.api.reward.RewardModel;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.model.Generator;
import org.rlhf4j.host.model.Gpt;
import org.rlhf4j.host.model.tokenizer.Tokenizer;

/**
 * One rollout batch and everything measured on it before the update: sampled sequences, the actor's and
 * the reference's log-probabilities, the critics' values, and the reward (and cost) scores. Plain arrays,
 * B rows; answers have N columns, left-aligned after the P prompt columns.
 */
record Rollout(List<PromptSet.Prompt> prompts, int promptLength, int newTokens, long[][] sequences, int[][] attention,
               float[][] mask, float[][] logProbs, float[][] refLogProbs, float[][] values, float[][] costValues,
               float[] scores, float[][] tokenScores, float[] costs, List<String> answers, float entropy,
               long generatedTokens, double generateSeconds, double scoreSeconds) {

    /** The reward side as the scheduler sees it. */
    Experience experience() {
        return new Experience(logProbs, refLogProbs, values, scores, tokenScores, mask);
    }

    /** The cost side: the cost model's scores and the cost critic's values. */
    Experience costExperience() {
        return new Experience(logProbs, refLogProbs, costValues, costs, null, mask);
    }

    int size() {
        return sequences.length;
    }

    /**
     * Phases 1 and 2 of a PPO step: (1) sample answers with the KV cache; (2) score them - actor and reference
     * log-probabilities, critic values, reward-model scores, and the cost side when there is a cost model. With
     * actor LoRA the reference pass is the actor's own forward with its adapters off ({@link PpoModels#reference}).
     */
    static Rollout collect(PpoModels models, List<PromptSet.Prompt> prompts, Generator generator, long seed,
                           RewardModel reward, RewardModel cost, String stage, int step) throws Exception {
        long t0 = System.nanoTime();
        List<int[]> ids = prompts.stream().map(PromptSet.Prompt::ids).toList();
        Generator.Generation g = generator.generate(ids, seed, true);                               // (1)
        long t1 = System.nanoTime();
        int b = prompts.size();
        int n = g.responseMask()[0].length;
        float[][] mask = new float[b][n];
        long generated = 0;
        Tokenizer tok = models.tokenizer();
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            for (int t = 0; t < n; t++) {
                mask[i][t] = g.responseMask()[i][t];
                generated += g.responseMask()[i][t];
            }
            int[] resp = g.response(i);
            int keep = g.stopped()[i] ? resp.length - 1 : resp.length; // the stop token is not part of the text
            answers.add(tok.decode(Arrays.copyOf(resp, Math.max(0, keep))));
        }
        Rollout partial = new Rollout(prompts, g.promptLength(), n, g.sequences(), g.attentionMask(), mask, null, null,
                null, null, null, null, null, answers, 0, generated, 0, 0);
        int[] all = new int[b];
        Arrays.setAll(all, i -> i);
        float[][] logProbs;
        float[][] values = null;
        float entropy;
        Gpt actor = models.actor();
        Gpt critic = models.critic();
        try (NDManager m = actor.manager().newSubManager()) {                                       // (2)
            PolicyForward.Tokens tokens = PolicyForward.tokens(partial, all, m);
            NDArray actorHidden = PolicyForward.hidden(actor, tokens);
            logProbs = masked(PolicyForward.logProbs(actor, actorHidden, tokens), mask);
            entropy = PolicyForward.entropy(actor, actorHidden, tokens);
            if (critic == actor) {
                values = masked(PolicyForward.values(critic, actorHidden, tokens), mask);
            }
        }
        float[][] refLogProbs = pass(models.reference(), partial, all, mask, (t, h) -> PolicyForward.logProbs(models.reference(), h, t));
        if (values == null) {
            values = pass(critic, partial, all, mask, (t, h) -> PolicyForward.values(critic, h, t));
        }
        Gpt costCritic = models.costCritic();
        float[][] costValues = costCritic == null ? null
                : pass(costCritic, partial, all, mask, (t, h) -> PolicyForward.values(costCritic, h, t));
        List<PromptAnswer> pairs = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            int[] resp = g.response(i);
            List<String> pieces = new ArrayList<>();
            for (int id : resp) {
                pieces.add(tok.decode(new int[] {id})); // one piece per answer token, the stop token included
            }
            pairs.add(new PromptAnswer(prompts.get(i).text(), answers.get(i), prompts.get(i).meta(), pieces));
        }
        float[] scores = new float[b];
        float[][] tokenScores = null;
        List<Reward> rewards = score(reward, pairs, prompts, stage, step, "reward");
        for (int i = 0; i < b; i++) {
            Reward r = rewards.get(i);
            scores[i] = (float) r.score();
            if (r.perToken() != null) {
                tokenScores = tokenScores == null ? new float[b][n] : tokenScores;
                int len = (int) Arrays.stream(g.responseMask()[i]).filter(v -> v == 1).count();
                if (r.perToken().length != len) {
                    throw new StageFailure("stage " + stage + ", step " + step + ": the reward function gave "
                            + r.perToken().length + " per-token rewards for prompt " + prompts.get(i).id() + " ("
                            + prompts.get(i).where() + "), whose answer has " + len + " tokens");
                }
                System.arraycopy(r.perToken(), 0, tokenScores[i], 0, len);
            }
        }
        float[] costs = null;
        if (cost != null) {
            costs = new float[b];
            List<Reward> c = score(cost, pairs, prompts, stage, step, "cost");
            for (int i = 0; i < b; i++) {
                costs[i] = (float) c.get(i).score();
            }
        }
        long t2 = System.nanoTime();
        return new Rollout(prompts, g.promptLength(), n, g.sequences(), g.attentionMask(), mask, logProbs, refLogProbs,
                values, costValues, scores, tokenScores, costs, answers, entropy, generated, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
    }

    /** Scores a batch; a failing scorer or a NaN score stops the stage naming step and prompt. */
    static List<Reward> score(RewardModel model, List<PromptAnswer> pairs, List<PromptSet.Prompt> prompts,
                                      String stage, int step, String what) {
        List<Reward> out;
        try {
            out = model.score(pairs);
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

    /**
     * One model's forward pass over the rollout, read out by {@code read} (tokens, hidden) as masked (B, N) numbers,
     * in a scope of its own: each pass's activations are freed before the next pass starts.
     */
    private static float[][] pass(Gpt model, Rollout partial, int[] rows, float[][] mask,
                                  BiFunction<PolicyForward.Tokens, NDArray, NDArray> read) {
        try (NDManager m = model.manager().newSubManager()) {
            PolicyForward.Tokens t = PolicyForward.tokens(partial, rows, m);
            return masked(read.apply(t, PolicyForward.hidden(model, t)), mask);
        }
    }

    private static float[][] masked(NDArray a, float[][] mask) {
        float[] flat = a.toFloatArray();
        int n = mask[0].length;
        float[][] out = new float[mask.length][n];
        for (int i = 0; i < mask.length; i++) {
            for (int t = 0; t < n; t++) {
                out[i][t] = flat[i * n + t] * mask[i][t];
            }
        }
        return out;
    }
}
