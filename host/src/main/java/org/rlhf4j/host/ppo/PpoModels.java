package org.rlhf4j.host.ppo;

import java.io.IOException;
import java.nio.file.Path;
import org.rlhf4j.api.RunContext;
import org.rlhf4j.host.model.Gpt;
import org.rlhf4j.host.model.HfCheckpoint;
import org.rlhf4j.host.model.tokenizer.Tokenizer;
import org.rlhf4j.host.reward.ModelCopies;

/**
 * The four models of PPO (the method's "four models at once"): the actor and critic are trained; the
 * reference and the reward model are frozen. Where the critic lives is the scheduler's choice: a separate
 * model initialised from the reward model (DeepSpeed-Chat, Coati, Safe-RLHF), or a value head on the
 * actor's own trunk (TrlX), in which case {@link #critic()} is the actor. Safe PPO adds a cost critic.
 * (The reward model itself is reached through the RewardModel api, not held here.)
 */
final class PpoModels implements AutoCloseable {

    private final Tokenizer tokenizer;
    private final Gpt actor;
    private final Gpt reference;
    private final Gpt critic;
    private final Gpt costCritic;

    private PpoModels(Tokenizer tokenizer, Gpt actor, Gpt reference, Gpt critic, Gpt costCritic) {
        this.tokenizer = tokenizer;
        this.actor = actor;
        this.reference = reference;
        this.critic = critic;
        this.costCritic = costCritic;
    }

    /**
     * Loads the actor and the reference from {@code actorDir}; the critic from {@code criticDir} unless it is
     * a head on the actor ({@code sharedTrunk}); the cost critic from {@code costCriticDir} when not null.
     */
    static PpoModels load(Path actorDir, Path criticDir, Path costCriticDir, boolean sharedTrunk, RunContext run) throws IOException {
        try (HfCheckpoint.Loaded sft = HfCheckpoint.load(actorDir, run.device())) {
            Gpt actor = sharedTrunk ? ModelCopies.withScoreHead(sft.model(), run.seed("ppo.value-head")) : ModelCopies.copy(sft.model());
            Gpt reference = ModelCopies.copy(sft.model());
            Gpt critic = sharedTrunk ? actor : loadScored(criticDir, run);
            Gpt cost = costCriticDir == null ? null : loadScored(costCriticDir, run);
            return new PpoModels(sft.tokenizer(), actor, reference, critic, cost);
        }
    }

    private static Gpt loadScored(Path dir, RunContext run) throws IOException {
        try (HfCheckpoint.Loaded l = HfCheckpoint.load(dir, run.device())) {
            return ModelCopies.withScoreHead(l.model(), run.seed("ppo.critic-head"));
        }
    }

    Tokenizer tokenizer() {
        return tokenizer;
    }

    Gpt actor() {
        return actor;
    }

    Gpt reference() {
        return reference;
    }

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
        actor.close();
        reference.close();
        if (critic != actor) {
            critic.close();
        }
        if (costCritic != null) {
            costCritic.close();
        }
    }
}
