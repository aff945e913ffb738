package org.rlhf4j.host.ppo;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Locale;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.host.model.Generator;
import org.rlhf4j.host.trainer.AdamW;

/**
 * The {@code ppo} block: models, data, the extensions chosen by name, and the loop's numbers.
 *
 * @param steps PPO iterations, each one rollout batch
 * @param rolloutBatch prompts per rollout (DeepSpeed-Chat's generation batch)
 * @param samplesPerPrompt K, the answers sampled for each of them (GRPO's group; OpenRLHF's n_samples_per_prompt):
 *        a rollout has rolloutBatch x K rows
 * @param epochs passes over each rollout batch (ppo_epochs)
 * @param minibatch sequences (rows) per gradient step
 */
public record PpoSettings(String actor, String critic, int steps, int rolloutBatch, int samplesPerPrompt, int epochs, int minibatch, double actorLr, double criticLr,
                          AdamW.Hyper optimizer, LearningRateSchedule lrSchedule, double gradClip, double emaBeta, Ptx ptx,
                          int sampleInterval,
                          int samplePrompts, double klBound, int checkpointInterval, String costModel, String costCritic,
                          Generator.Settings generate) {

    /**
     * Pretraining-loss mixing: {@code accumulate} (DeepSpeed-Chat: the policy loss and coef x LM accumulated into one
     * step, each halved) or {@code mixed} (Coati: (1 - coef) x policy + coef x LM).
     */
    public record Ptx(double coef, String mode, String input, List<String> files, int batchSize) {
        boolean on() {
            return coef > 0;
        }
    }

    public static PpoSettings from(Config c) {
        Config p = c.getConfig("ptx");
        String mode = p.getString("mode").toLowerCase(Locale.ROOT);
        if (!mode.equals("accumulate") && !mode.equals("mixed")) {
            throw new ConfigProblem(c, "ptx.mode", "must be accumulate (DeepSpeed-Chat) or mixed (Coati), got '" + mode + "'");
        }
        Ptx ptx = new Ptx(p.getDouble("coef"), mode, p.getString("input"), p.getStringList("files"), p.getInt("batch-size"));
        if (ptx.coef() < 0 || (mode.equals("mixed") && ptx.coef() >= 1)) {
            throw new ConfigProblem(c, "ptx.coef", "must be >= 0 (and < 1 when mixed as (1 - c) x policy + c x LM)");
        }
        c.getConfigList("sources");
        c.getConfigList("held-out");
        PpoSettings s = new PpoSettings(c.getString("actor"), c.getString("critic"), c.getInt("steps"), c.getInt("rollout-batch"),
                c.getInt("samples-per-prompt"), c.getInt("epochs"), c.getInt("minibatch"), c.getDouble("actor-lr"), c.getDouble("critic-lr"),
                new AdamW.Hyper(c.getDouble("beta1"), c.getDouble("beta2"), c.getDouble("eps"), c.getDouble("weight-decay")),
                LearningRateSchedule.from(c.getConfig("lr-schedule")), c.getDouble("grad-clip"), c.getDouble("ema-beta"), ptx, c.getInt("sample-interval"), c.getInt("sample-prompts"),
                c.getDouble("kl-bound"), c.getInt("checkpoint-interval"), c.getString("cost-model"), c.getString("cost-critic"),
                Generator.Settings.from(c.getConfig("generate")));
        for (String key : List.of("steps", "rollout-batch", "samples-per-prompt", "epochs", "minibatch", "sample-interval")) {
            if (c.getInt(key) < 1) {
                throw new ConfigProblem(c, key, "must be at least 1, got " + c.getInt(key));
            }
        }
        if (s.minibatch > s.rows()) {
            throw new ConfigProblem(c, "minibatch", "is larger than a rollout (rollout-batch x samples-per-prompt = " + s.rows() + " rows)");
        }
        if (s.emaBeta < 0 || s.emaBeta >= 1) {
            throw new ConfigProblem(c, "ema-beta", "must be in [0, 1): 0 turns the EMA off, DeepSpeed-Chat uses 0.992");
        }
        if (s.actorLr <= 0 || s.criticLr <= 0) {
            throw new ConfigProblem(c, "actor-lr", "actor-lr and critic-lr must be > 0");
        }
        return s;
    }

    /** The rows of one rollout: every prompt's K answers. */
    int rows() {
        return rolloutBatch * samplesPerPrompt;
    }

    /** Optimizer updates per rollout: the minibatches of each epoch. */
    int updatesPerStep() {
        return epochs * ((rows() + minibatch - 1) / minibatch);
    }
}
