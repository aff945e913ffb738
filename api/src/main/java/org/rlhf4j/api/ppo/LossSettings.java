package org.rlhf4j.api.ppo;

/**
 * The clipped PPO losses as a system configures them (see {@link PpoLosses}).
 *
 * @param cliprange policy ratio clip epsilon (0.2 in all four systems)
 * @param ratioMax clamp of the ratio before the loss (Coati v2: 10), or +infinity for none
 * @param skipRatioAbove skip a minibatch whose mean ratio exceeds this (Coati v2: 20), or +infinity
 * @param cliprangeValue value clip around the old values (DeepSpeed-Chat and TrlX 0.2, Safe-RLHF 5)
 * @param vfCoef weight of the value loss when actor and critic share a trunk (TrlX), else 1
 * @param sharedTrunk true when the critic is a value head on the actor's trunk (TrlX): one loss pg + vf_coef x vf
 * @param aggregation how the per-token policy and value losses become one number (since 0.2.2; the six-argument
 *        constructor gives {@link Aggregation#TOKEN_MEAN})
 * @param cliprangeHigh the upper clip of the ratio, 1 + cliprangeHigh (DAPO's clip-higher: TRL's epsilon_high,
 *        OpenRLHF's eps_clip_low_high); the lower stays 1 - cliprange (since 0.2.4; the older constructors give
 *        cliprange, the symmetric clip)
 * @param klLoss a KL penalty in the actor's loss instead of in the rewards (GRPO), or null for none (since 0.2.4)
 *
 * @since 0.1.0
 */
public record LossSettings(double cliprange, double ratioMax, double skipRatioAbove, double cliprangeValue,
                           double vfCoef, boolean sharedTrunk, Aggregation aggregation, double cliprangeHigh,
                           KlLoss klLoss) {

    /**
     * How a (B, T) loss is reduced over a minibatch's answer tokens.
     *
     * @since 0.2.2
     */
    public enum Aggregation {
        /** sum(x * mask) / sum(mask) over the whole minibatch: long answers weigh more (DeepSpeed-Chat, TrlX). */
        TOKEN_MEAN,
        /**
         * The masked mean of each sequence, then the plain mean over sequences: every answer weighs the same
         * (the policy loss of Coati v1 and v2 and Safe-RLHF's losses: masked_mean over dim -1 followed by .mean()).
         */
        SEQUENCE_MEAN,
        /**
         * sum(x * mask) / (B * max-new-tokens): a constant normaliser whatever the answers' lengths (Dr. GRPO; TRL's
         * loss_type dr_grpo divides by the batch size times max_completion_length).
         *
         * @since 0.2.4
         */
        BATCH_MAX_LENGTH
    }

    /**
     * A KL penalty added to the actor's loss: coef x aggregate(estimator(log pi, log ref)), coef the KL controller's
     * coefficient of the step and the aggregation the policy loss's. The scheduler that asks for it leaves the KL out
     * of its rewards.
     *
     * @param estimator which per-token estimate of KL(pi || ref) ({@link PpoLosses#klEstimate})
     * @param clamp each token's estimate is clamped to [-clamp, clamp] (OpenRLHF's compute_approx_kl: 10), or
     *        +infinity for none (TRL)
     *
     * @since 0.2.4
     */
    public record KlLoss(KlEstimator estimator, double clamp) {
        public KlLoss {
            if (estimator == null || !(clamp > 0)) {
                throw new IllegalArgumentException("a KL loss needs an estimator and a clamp > 0 (+infinity for none)");
            }
        }
    }

    /**
     * Schulman's estimators of KL(pi || ref) from one sample, l = log pi - log ref (http://joschu.net/blog/kl-approx.html).
     *
     * @since 0.2.4
     */
    public enum KlEstimator {
        /** l: unbiased, may be negative. */
        K1,
        /** l^2 / 2: never negative, biased. */
        K2,
        /** exp(-l) - 1 + l: unbiased and never negative (GRPO's). */
        K3
    }

    public LossSettings {
        if (aggregation == null) {
            throw new IllegalArgumentException("aggregation is required (TOKEN_MEAN, SEQUENCE_MEAN or BATCH_MAX_LENGTH)");
        }
        if (!(cliprangeHigh >= 0)) {
            throw new IllegalArgumentException("cliprangeHigh must be >= 0, got " + cliprangeHigh);
        }
    }

    /** The settings with a symmetric clip and no KL loss, as before 0.2.4. */
    public LossSettings(double cliprange, double ratioMax, double skipRatioAbove, double cliprangeValue,
                        double vfCoef, boolean sharedTrunk, Aggregation aggregation) {
        this(cliprange, ratioMax, skipRatioAbove, cliprangeValue, vfCoef, sharedTrunk, aggregation, cliprange, null);
    }

    /** The settings with {@link Aggregation#TOKEN_MEAN}, as before 0.2.2. */
    public LossSettings(double cliprange, double ratioMax, double skipRatioAbove, double cliprangeValue,
                        double vfCoef, boolean sharedTrunk) {
        this(cliprange, ratioMax, skipRatioAbove, cliprangeValue, vfCoef, sharedTrunk, Aggregation.TOKEN_MEAN);
    }

    /** DeepSpeed-Chat's: clip 0.2, value clip 0.2, separate critic, token mean. */
    public static LossSettings standard(double cliprange, double cliprangeValue) {
        return new LossSettings(cliprange, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, cliprangeValue, 1.0, false);
    }

    /**
     * These settings with another aggregation.
     *
     * @since 0.2.2
     */
    public LossSettings withAggregation(Aggregation a) {
        return new LossSettings(cliprange, ratioMax, skipRatioAbove, cliprangeValue, vfCoef, sharedTrunk, a, cliprangeHigh, klLoss);
    }

    /**
     * These settings with the ratio clipped to [1 - cliprange, 1 + high].
     *
     * @since 0.2.4
     */
    public LossSettings withClipHigh(double high) {
        return new LossSettings(cliprange, ratioMax, skipRatioAbove, cliprangeValue, vfCoef, sharedTrunk, aggregation, high, klLoss);
    }

    /**
     * These settings with a KL penalty in the actor's loss (null: none).
     *
     * @since 0.2.4
     */
    public LossSettings withKlLoss(KlLoss kl) {
        return new LossSettings(cliprange, ratioMax, skipRatioAbove, cliprangeValue, vfCoef, sharedTrunk, aggregation, cliprangeHigh, kl);
    }
}
