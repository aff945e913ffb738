package org.rlhf4j.host.ppo;

import java.io.IOException;
import java.nio.file.Path;
import org.rlhf4j.api.RunContext;
import org.rlhf4j.api.ppo.PpoScheduler;
import org.rlhf4j.host.model.Gpt;
import org.rlhf4j.host.model.HfCheckpoint;
import org.rlhf4j.host.model.tokenizer.Tokenizer;
import org.rlhf4j.host.reward.ModelCopies;

/**
 * The four models of PPO (the method's "four models at once"): the actor and critic are trained; the
 * reference and the reward model are frozen. Where the critic lives is the scheduler's choice: a separate
 * model initialised from ppo.critic (the reward model for DeepSpeed-Chat, Coati v1 and Safe-RLHF; the SFT model with
 * a fresh head for Coati v2), or a value head on the actor's own trunk (TrlX), in which case {@link #critic()} is the
 * actor and the head is the scheduler's {@link PpoScheduler#valueHead()} (TrlX: an MLP). Safe PPO adds a cost critic.
 * (The reward model itself is reached through the RewardModel api, not held here.)
 *
 * <p>With LoRA ({@link PpoLora}) the actor and critics get adapters over frozen weights, and the reference is the
 * actor with its adapters off ({@link Gpt#withoutAdapters}): the SFT weights are held once, not twice.
 */
final class PpoModels implements AutoCloseable {

    private final Tokenizer tokenizer;
    private final Gpt actor;
    private final Gpt reference;
    private final Gpt critic;
    private final Gpt costCritic;
    private final PpoLora lora;

    private PpoModels(Tokenizer tokenizer, Gpt actor, Gpt reference, Gpt critic, Gpt costCritic, PpoLora lora) {
        this.lora = lora;
        this.tokenizer = tokenizer;
        this.actor = actor;
        this.reference = reference;
        this.critic = critic;
        this.costCritic = costCritic;
    }

    /**
     * Loads the actor and the reference from {@code actorDir}; the critic from {@code criticDir} unless it is
     * a head on the actor ({@code sharedTrunk}) or the method has none ({@code criticDir} null); the cost critic from {@code costCriticDir} when not null; adapters
     * as {@code lora} says.
     */
    static PpoModels load(Path actorDir, Path criticDir, Path costCriticDir, boolean sharedTrunk, PpoLora lora,
                          RunContext run) throws IOException {
        return load(actorDir, criticDir, costCriticDir, sharedTrunk, PpoScheduler.ValueHead.LINEAR, -1, lora, run);
    }

    /**
     * As above, the value head on a shared trunk being {@code head}; with {@code layersUnfrozen} >= 0 (TrlX's
     * num_layers_unfrozen, not with actor LoRA) only the actor's top blocks train ({@link Gpt#freezeBottom}), and
     * when it is > 0 the reference is the actor's frozen branch ({@link Gpt#frozenBranch}), as TrlX's hydra model.
     */
    static PpoModels load(Path actorDir, Path criticDir, Path costCriticDir, boolean sharedTrunk, PpoScheduler.ValueHead head,
                          int layersUnfrozen, PpoLora lora, RunContext run) throws IOException {
        try (HfCheckpoint.Loaded sft = HfCheckpoint.load(actorDir, run.device())) {
            long seed = run.seed("ppo.value-head");
            Gpt actor = !sharedTrunk ? ModelCopies.copy(sft.model())
                    : head == PpoScheduler.ValueHead.MLP ? ModelCopies.withMlpScoreHead(sft.model(), seed)
                    : ModelCopies.withScoreHead(sft.model(), seed);
            Gpt reference;
            if (lora.actor() != null) {
                actor.addAdapters(lora.actor(), run.seed("ppo.actor-lora"));
                reference = actor.withoutAdapters();
            } else if (layersUnfrozen > 0) {
                actor.freezeBottom(layersUnfrozen);
                reference = actor.frozenBranch(layersUnfrozen);
            } else {
                if (layersUnfrozen == 0) {
                    actor.freezeBottom(0); // TrlX keeps a separate reference then (frozen_head is None)
                }
                reference = ModelCopies.copy(sft.model());
            }
            Gpt critic = sharedTrunk ? actor : criticDir == null ? null : loadScored(criticDir, lora, "ppo.critic", run);
            Gpt cost = costCriticDir == null ? null : loadScored(costCriticDir, lora, "ppo.cost-critic", run);
            return new PpoModels(sft.tokenizer(), actor, reference, critic, cost, lora);
        }
    }

    private static Gpt loadScored(Path dir, PpoLora lora, String name, RunContext run) throws IOException {
        try (HfCheckpoint.Loaded l = HfCheckpoint.load(dir, run.device())) {
            Gpt critic = ModelCopies.withScoreHead(l.model(), run.seed("ppo.critic-head"));
            if (lora.critic() != null) {
                critic.addAdapters(lora.critic(), run.seed(name + "-lora"));
            }
            return critic;
        }
    }

    Tokenizer tokenizer() {
        return tokenizer;
    }

    Gpt actor() {
        return actor;
    }

    /**
     * The frozen SFT policy: a copy, with actor LoRA the actor with its adapters off, or with layers unfrozen the
     * actor's frozen branch (which follows the actor's shared position embedding, as TrlX's does).
     */
    Gpt reference() {
        return reference;
    }

    PpoLora lora() {
        return lora;
    }

    /** The critic: a model of its own, the actor (a value head on its trunk), or null for a critic-free method. */
    Gpt critic() {
        return critic;
    }

    /** Null without a safety constraint. */
    Gpt costCritic() {
        return costCritic;
    }

    boolean sharedTrunk() {
        return critic == actor;
    }

    @Override
    public void close() {
        reference.close();
        actor.close();
        if (critic != null && critic != actor) {
            critic.close();
        }
        if (costCritic != null) {
            costCritic.close();
        }
    }
}
