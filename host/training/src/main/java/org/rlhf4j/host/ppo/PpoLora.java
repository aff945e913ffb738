package org.rlhf4j.host.ppo;

import com.typesafe.config.Config;
import java.util.List;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.host.model.Lora;

/**
 * LoRA in PPO (DeepSpeed-Chat's actor_lora_dim / critic_lora_dim, its actor/critic_lora_learning_rate): the
 * {@code ppo} block's {@code actor-lora-dim}, {@code critic-lora-dim}, {@code lora-alpha}, {@code lora-layers},
 * {@code actor-lora-lr} and {@code critic-lora-lr}. A dim of 0 leaves that model without adapters.
 *
 * @param actor the actor's adapters, or null: with them the reference is the actor with its adapters off
 * @param critic the critics' adapters (reward and cost critic), or null; a value head on the actor uses the actor's
 * @param actorLr the actor's learning rate under LoRA (instead of {@code actor-lr})
 * @param criticLr the critics' learning rate under LoRA (instead of {@code critic-lr})
 */
record PpoLora(Lora.Spec actor, Lora.Spec critic, double actorLr, double criticLr) {

    static PpoLora from(Config ppo) {
        double alpha = ppo.getDouble("lora-alpha");
        List<String> layers = ppo.getStringList("lora-layers");
        return new PpoLora(spec(ppo, "actor-lora-dim", alpha, layers), spec(ppo, "critic-lora-dim", alpha, layers),
                positive(ppo, "actor-lora-lr"), positive(ppo, "critic-lora-lr"));
    }

    private static Lora.Spec spec(Config ppo, String key, double alpha, List<String> layers) {
        int dim = ppo.getInt(key);
        if (dim < 0) {
            throw new ConfigProblem(ppo, key, "must be >= 0 (0 is off), got " + dim);
        }
        if (dim == 0) {
            return null;
        }
        try {
            return new Lora.Spec(dim, alpha, layers);
        } catch (IllegalArgumentException e) {
            throw new ConfigProblem(ppo, e.getMessage().contains("alpha") ? "lora-alpha" : "lora-layers", e.getMessage());
        }
    }

    private static double positive(Config ppo, String key) {
        double v = ppo.getDouble(key);
        if (!(v > 0)) {
            throw new ConfigProblem(ppo, key, "must be > 0, got " + v);
        }
        return v;
    }
}
