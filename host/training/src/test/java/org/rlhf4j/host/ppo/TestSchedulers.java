package org.rlhf4j.host.ppo;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.pf4j.Extension;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.ppo.Advantages;
import org.rlhf4j.api.ppo.Experience;
import org.rlhf4j.api.ppo.GroupBaselines;
import org.rlhf4j.api.ppo.LossSettings;
import org.rlhf4j.api.ppo.PpoMath;
import org.rlhf4j.api.ppo.PpoScheduler;

/** Schedulers for the engine's own tests (found like any built-in extension). */
final class TestSchedulers {

    private TestSchedulers() {
    }

    /**
     * REINFORCE without a critic: the KL-penalised reward with the score at the last token, and each token's
     * advantage its return to go. Records the steps it was called for.
     */
    @Extension
    @ExtensionName("test-reinforce")
    public static final class Reinforce implements PpoScheduler {
        static final List<Integer> STEPS = new CopyOnWriteArrayList<>();

        @Override
        public Advantages schedule(Experience e, double klCoef) {
            throw new AssertionError("the engine calls schedule(experience, klCoef, step)");
        }

        @Override
        public Advantages schedule(Experience e, double klCoef, int step) {
            STEPS.add(step);
            for (float[] row : e.values()) {
                for (float v : row) {
                    if (v != 0) {
                        throw new AssertionError("a critic-free scheduler sees zero values, got " + v);
                    }
                }
            }
            float[][] rewards = PpoMath.klPenaltyWithLastTokenScore(e, klCoef, 0);
            return PpoMath.gae(rewards, e.values(), e.mask(), 1.0, 1.0); // with zero values: the return to go
        }

        @Override
        public boolean needsCritic() {
            return false;
        }

        @Override
        public LossSettings losses() {
            return LossSettings.standard(0.2, 0.2);
        }
    }

    /**
     * A group baseline without a critic (REINFORCE with the group mean taken off, the score at the last token) that
     * asks for two answers per prompt and a k3 KL penalty in the loss. Records the group size and rows it saw.
     */
    @Extension
    @ExtensionName("test-group")
    public static final class Group implements PpoScheduler {
        static final List<int[]> SEEN = new CopyOnWriteArrayList<>();

        @Override
        public Advantages schedule(Experience e, double klCoef) {
            SEEN.add(new int[] {e.groupSize(), e.batchSize()});
            float[] r = GroupBaselines.minusGroupMean(e.scores(), e.groupSize());
            float[][] rewards = new float[e.batchSize()][e.length()];
            for (int b = 0; b < rewards.length; b++) {
                rewards[b][PpoMath.lastIndex(e.mask()[b])] = r[b];
            }
            float[][] returns = PpoMath.discountedReturns(rewards, e.mask(), 1.0);
            return new Advantages(rewards, returns, returns);
        }

        @Override
        public boolean needsCritic() {
            return false;
        }

        @Override
        public int minimumGroupSize() {
            return 2;
        }

        @Override
        public LossSettings losses() {
            return LossSettings.standard(0.2, 0.2).withClipHigh(0.28)
                    .withKlLoss(new LossSettings.KlLoss(LossSettings.KlEstimator.K3, Double.POSITIVE_INFINITY));
        }
    }

    /** Fails on its second call, as a buggy scheduler would. */
    @Extension
    @ExtensionName("test-throwing-scheduler")
    public static final class Throwing implements PpoScheduler {
        private int calls;

        @Override
        public Advantages schedule(Experience e, double klCoef) {
            if (++calls == 2) {
                throw new IllegalStateException("no advantages for a batch of " + e.batchSize());
            }
            return PpoMath.gae(PpoMath.klPenaltyWithLastTokenScore(e, klCoef, 0), e.values(), e.mask(), 1.0, 0.95);
        }

        @Override
        public LossSettings losses() {
            return LossSettings.standard(0.2, 0.2);
        }
    }
    /**
     * Reads one critic value per sequence ({@link PpoScheduler#valuePerSequence()}): checks that each row's values are
     * one number on every answer token and zero off the mask, records the numbers, and trains toward a constant.
     */
    @Extension
    @ExtensionName("test-sequence-value")
    public static final class SequenceValue implements PpoScheduler {
        static final List<float[]> VALUES = new CopyOnWriteArrayList<>();

        @Override
        public Advantages schedule(Experience e, double klCoef) {
            float[] seen = new float[e.batchSize()];
            for (int b = 0; b < e.batchSize(); b++) {
                int last = PpoMath.lastIndex(e.mask()[b]);
                seen[b] = e.values()[b][last];
                for (int t = 0; t < e.length(); t++) {
                    float expected = e.mask()[b][t] > 0 ? seen[b] : 0;
                    if (e.values()[b][t] != expected) {
                        throw new AssertionError("row " + b + " position " + t + ": value " + e.values()[b][t]
                                + ", expected " + expected);
                    }
                }
            }
            VALUES.add(seen);
            return PpoMath.gae(PpoMath.klPenaltyWithLastTokenScore(e, klCoef, 0), e.values(), e.mask(), 1.0, 0.95);
        }

        @Override
        public boolean valuePerSequence() {
            return true;
        }

        @Override
        public LossSettings losses() {
            return LossSettings.standard(0.2, 0.2);
        }
    }
    /** Coati's ratio test set so low (mean ratio above 0.5) that every minibatch is skipped. */
    @Extension
    @ExtensionName("test-always-skip")
    public static final class AlwaysSkip implements PpoScheduler {
        @Override
        public Advantages schedule(Experience e, double klCoef) {
            return PpoMath.gae(PpoMath.klPenaltyWithLastTokenScore(e, klCoef, 0), e.values(), e.mask(), 1.0, 0.95);
        }

        @Override
        public LossSettings losses() {
            return new LossSettings(0.2, 10, 0.5, 0.2, 1, false);
        }
    }
}
