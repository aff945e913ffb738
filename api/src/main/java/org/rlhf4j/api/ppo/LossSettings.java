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
 *
 * @since 0.1.0
 */
public record LossSettings(double cliprange, double ratioMax, double skipRatioAbove, double cliprangeValue,
                           double vfCoef, boolean sharedTrunk, Aggregation aggregation) {

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
        SEQUENCE_MEAN
    }

    public LossSettings {
        if (aggregation == null) {
            throw new IllegalArgumentException("aggregation is required (TOKEN_MEAN or SEQUENCE_MEAN)");
        }
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
        return new LossSettings(cliprange, ratioMax, skipRatioAbove, cliprangeValue, vfCoef, sharedTrunk, a);
    }
}
