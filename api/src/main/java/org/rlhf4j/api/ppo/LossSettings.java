package org.rlhf4j.api.ppo;

/**
 * The clipped PPO losses as a system configures them (see {@link PpoLosses}).
 *
 * @param cliprange policy ratio clip epsilon (0.2 in all four systems)
 * @param ratioMax clamp of the ratio before the loss (Coati: 10), or +infinity for none
 * @param skipRatioAbove skip a minibatch whose mean ratio exceeds this (Coati: 20), or +infinity
 * @param cliprangeValue value clip around the old values (DeepSpeed-Chat and TrlX 0.2, Safe-RLHF 5)
 * @param vfCoef weight of the value loss when actor and critic share a trunk (TrlX), else 1
 * @param sharedTrunk true when the critic is a value head on the actor's trunk (TrlX): one loss pg + vf_coef x vf
 *
 * @since 0.1.0
 */
public record LossSettings(double cliprange, double ratioMax, double skipRatioAbove, double cliprangeValue,
                           double vfCoef, boolean sharedTrunk) {

    /** DeepSpeed-Chat's: clip 0.2, value clip 0.2, separate critic. */
    public static LossSettings standard(double cliprange, double cliprangeValue) {
        return new LossSettings(cliprange, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, cliprangeValue, 1.0, false);
    }
}
