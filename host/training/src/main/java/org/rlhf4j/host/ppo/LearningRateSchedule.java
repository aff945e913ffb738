package org.rlhf4j.host.ppo;

import com.typesafe.config.Config;
import java.util.Locale;
import org.rlhf4j.api.ConfigProblem;

/**
 * The PPO stage's learning-rate schedule ({@code ppo.lr-schedule}), per optimizer update: Hugging Face
 * transformers' {@code get_scheduler} schedules, which DeepSpeed-Chat's step 3 builds for actor and critic
 * (dschat/rlhf/rlhf_engine.py lines 117-122 at DeepSpeedExamples 83757d9c; {@code --lr_scheduler_type cosine},
 * {@code --num_warmup_steps 100} in training/step3_rlhf_finetuning/main.py lines 165-181):
 * <pre>
 *   s < warmup:   factor = s / warmup                                            (so the first update has lr 0)
 *   constant:     factor = 1
 *   cosine:       factor = max(0, 0.5 (1 + cos(pi (s - warmup) / (total - warmup))))
 * </pre>
 * with {@code s} the number of updates before this one and {@code total} the stage's updates (steps x epochs x
 * minibatches per rollout: DS-Chat's num_total_iters). The stage's own (nanoGPT) schedule of pretrain and SFT is a
 * different function ({@code TrainSettings.learningRate}): warm-up from the first step, a floor.
 *
 * @param type {@code constant} or {@code cosine}
 * @param warmup updates of linear warm-up from 0 (0 for none)
 */
record LearningRateSchedule(String type, int warmup) {

    static LearningRateSchedule from(Config c) {
        String type = c.getString("type").toLowerCase(Locale.ROOT);
        if (!type.equals("constant") && !type.equals("cosine")) {
            throw new ConfigProblem(c, "type", "must be constant or cosine, got '" + type + "'");
        }
        int warmup = c.getInt("warmup");
        if (warmup < 0) {
            throw new ConfigProblem(c, "warmup", "must not be negative, got " + warmup);
        }
        return new LearningRateSchedule(type, warmup);
    }

    /** The multiplier of the base learning rate for the update that follows {@code done} of {@code total}. */
    double factor(long done, long total) {
        if (done < warmup) {
            return (double) done / warmup;
        }
        if (type.equals("constant")) {
            return 1.0;
        }
        double progress = (double) (done - warmup) / Math.max(1, total - warmup);
        return Math.max(0.0, 0.5 * (1.0 + Math.cos(Math.PI * progress)));
    }
}
