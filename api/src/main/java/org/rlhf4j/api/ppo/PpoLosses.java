package org.rlhf4j.api.ppo;

import ai.djl.ndarray.NDArray;

/**
 * The training-time losses of PPO on NDArrays, with gradients: the clipped policy loss and the clipped
 * value loss, aggregated over answer tokens as {@link LossSettings#aggregation()} says (a masked mean over all tokens,
 * or per sequence then over sequences). All inputs are (B, T) on one device.
 *
 * <p>Constants enter as tensors made in the operands' own manager, never through the
 * {@code NDArray.mul(Number)} overloads, whose temporary tensor is freed before autograd reads it
 * (docs/pitfalls.md: gradients turn NaN at random steps).
 *
 * <p>References: DeepSpeed-Chat ppo_trainer.py (actor_loss_fn, critic_loss_fn), Colossal-AI
 * coati/models/loss.py (PolicyLoss with ratio clamp and skip, ValueLoss), TRL (clip fractions, approx KL).
 *
 * @since 0.1.0
 */
public final class PpoLosses {

    private PpoLosses() {
    }

    /**
     * The clipped surrogate: the aggregated max(-A r, -A clip(r, 1-eps, 1+eps)), r = exp(new - old).
     *
     * @param loss the scalar loss
     * @param clipFraction share of masked tokens where the clipped term was taken (no gradient)
     * @param approxKl masked mean of 0.5 (new - old)^2 (no gradient)
     * @param meanRatio masked mean ratio before any clamp (no gradient)
     * @param skip true when the plain mean of the ratio over every (B, T) position, where positions off the mask
     *        count with ratio exp(0) = 1, exceeds {@link LossSettings#skipRatioAbove()}: Coati v2's test
     *        {@code ratio_.mean() > skip_threshold} (ColossalAI 4f9953be3, applications/ColossalChat/coati/models/loss.py
     *        lines 49-56)
     */
    public record PolicyLoss(NDArray loss, float clipFraction, float approxKl, float meanRatio, boolean skip) {
    }

    /** The clipped policy loss of one minibatch; {@code BATCH_MAX_LENGTH} takes the minibatch's T as the max length. */
    public static PolicyLoss policy(NDArray logProbs, NDArray oldLogProbs, NDArray advantages, NDArray mask,
                                    LossSettings s) {
        return policy(logProbs, oldLogProbs, advantages, mask, s, mask.getShape().get(1));
    }

    /**
     * The clipped policy loss of one minibatch, the ratio clipped to [1 - cliprange, 1 + cliprangeHigh];
     * {@code maxLength} is the max-new-tokens that {@code BATCH_MAX_LENGTH} divides by.
     *
     * @since 0.2.4
     */
    public static PolicyLoss policy(NDArray logProbs, NDArray oldLogProbs, NDArray advantages, NDArray mask,
                                    LossSettings s, long maxLength) {
        NDArray logRatio = logProbs.sub(oldLogProbs).mul(mask);                       // (B, T)
        NDArray ratio = logRatio.exp();                                                // (B, T)
        float meanRatio = maskedMean(ratio, mask).getFloat();
        NDArray r = Double.isInfinite(s.ratioMax()) ? ratio : ratio.clip(0.0, s.ratioMax());
        NDArray surr1 = r.mul(advantages);                                             // (B, T)
        NDArray surr2 = r.clip(1 - s.cliprange(), 1 + s.cliprangeHigh()).mul(advantages); // (B, T)
        NDArray loss = aggregate(surr1.minimum(surr2).neg(), mask, s.aggregation(), maxLength); // ()
        float clipFraction = maskedMean(surr2.lt(surr1).toType(mask.getDataType(), false), mask).getFloat();
        NDArray sq = logRatio.square();
        float approxKl = maskedMean(sq, mask).getFloat() * 0.5f;
        boolean skip = ratio.mean().getFloat() > s.skipRatioAbove();                   // unmasked, as Coati's
        return new PolicyLoss(loss, clipFraction, approxKl, meanRatio, skip);
    }

    /**
     * The clipped value loss: 0.5 x masked mean of max((V - R)^2, (clip(V, V_old +- c) - R)^2).
     *
     * @param loss the scalar loss
     * @param clipFraction share of masked tokens where the clipped term was larger (no gradient)
     */
    public record ValueLoss(NDArray loss, float clipFraction) {
    }

    /** The clipped value loss of one minibatch, token mean. */
    public static ValueLoss value(NDArray values, NDArray oldValues, NDArray returns, NDArray mask, double cliprangeValue) {
        return value(values, oldValues, returns, mask, cliprangeValue, LossSettings.Aggregation.TOKEN_MEAN);
    }

    /**
     * The clipped value loss of one minibatch as {@code s} configures it (its value clip and aggregation).
     *
     * @since 0.2.2
     */
    public static ValueLoss value(NDArray values, NDArray oldValues, NDArray returns, NDArray mask, LossSettings s) {
        return value(values, oldValues, returns, mask, s.cliprangeValue(), s.aggregation());
    }

    private static ValueLoss value(NDArray values, NDArray oldValues, NDArray returns, NDArray mask, double cliprangeValue,
                                   LossSettings.Aggregation aggregation) {
        NDArray delta = values.sub(oldValues).clip(-cliprangeValue, cliprangeValue);  // (B, T)
        NDArray clipped = oldValues.add(delta);                                        // (B, T)
        NDArray l1 = values.sub(returns).square();
        NDArray l2 = clipped.sub(returns).square();
        NDArray half = constant(values, 0.5);
        NDArray loss = aggregate(l1.maximum(l2), mask, aggregation).mul(half);         // ()
        float clipFraction = maskedMean(l2.gt(l1).toType(mask.getDataType(), false), mask).getFloat();
        return new ValueLoss(loss, clipFraction);
    }

    /**
     * A (B, T) loss reduced to a scalar: {@link #maskedMean} for {@code TOKEN_MEAN}, {@link #sequenceMean} for
     * {@code SEQUENCE_MEAN}.
     *
     * @since 0.2.2
     */
    public static NDArray aggregate(NDArray x, NDArray mask, LossSettings.Aggregation aggregation) {
        return aggregate(x, mask, aggregation, mask.getShape().get(1));
    }

    /**
     * A (B, T) loss reduced to a scalar as {@code aggregation} says; {@code BATCH_MAX_LENGTH} is
     * sum(x * mask) / (B * maxLength).
     *
     * @since 0.2.4
     */
    public static NDArray aggregate(NDArray x, NDArray mask, LossSettings.Aggregation aggregation, long maxLength) {
        return switch (aggregation) {
            case TOKEN_MEAN -> maskedMean(x, mask);
            case SEQUENCE_MEAN -> sequenceMean(x, mask);
            case BATCH_MAX_LENGTH -> x.mul(mask).sum().div(constant(mask, (double) mask.getShape().get(0) * maxLength));
        };
    }

    /**
     * Schulman's per-token estimate of KL(pi || ref), l = logProbs - refLogProbs, clamped to [-clamp, clamp]
     * (+infinity for none): k1 = l, k2 = l^2 / 2, k3 = exp(-l) - 1 + l. With gradients through {@code logProbs};
     * l is zeroed off the mask first, so every estimate is 0 there (padding never overflows exp).
     *
     * @since 0.2.4
     */
    public static NDArray klEstimate(NDArray logProbs, NDArray refLogProbs, NDArray mask, LossSettings.KlEstimator estimator,
                                     double clamp) {
        NDArray l = logProbs.sub(refLogProbs).mul(mask);                               // (B, T)
        NDArray k = switch (estimator) {
            case K1 -> l;
            case K2 -> l.square().mul(constant(l, 0.5));
            case K3 -> l.neg().exp().sub(constant(l, 1.0)).add(l);
        };
        return Double.isInfinite(clamp) ? k : k.clip(-clamp, clamp);
    }

    /**
     * The KL penalty of {@link LossSettings#klLoss()}: aggregate(klEstimate(...)) over the mask as the policy loss is,
     * unweighted (the engine multiplies it by the step's KL coefficient).
     *
     * @since 0.2.4
     */
    public static NDArray klLoss(NDArray logProbs, NDArray refLogProbs, NDArray mask, LossSettings s, long maxLength) {
        LossSettings.KlLoss kl = s.klLoss();
        return aggregate(klEstimate(logProbs, refLogProbs, mask, kl.estimator(), kl.clamp()), mask, s.aggregation(), maxLength);
    }

    /**
     * mean_b( sum_t(x * mask)_b / sum_t(mask)_b ), a scalar: each row's masked mean, then the mean over rows (a row
     * with an empty mask counts as 0). Coati's PolicyLoss (v1 and v2) and Safe-RLHF's masked_mean(..., dim=-1).mean().
     *
     * @since 0.2.2
     */
    public static NDArray sequenceMean(NDArray x, NDArray mask) {
        NDArray perRow = x.mul(mask).sum(new int[] {1});                               // (B)
        NDArray counts = mask.sum(new int[] {1}).maximum(constant(mask, 1e-8));        // (B)
        return perRow.div(counts).mean();                                              // ()
    }

    /** sum(x * mask) / sum(mask), a scalar; 0 when the mask is empty. */
    public static NDArray maskedMean(NDArray x, NDArray mask) {
        NDArray n = mask.sum().maximum(constant(mask, 1e-8));
        return x.mul(mask).sum().div(n);
    }

    /** A scalar constant in {@code like}'s manager, device and type (safe under autograd). */
    public static NDArray constant(NDArray like, double value) {
        return like.getManager().create((float) value).toType(like.getDataType(), false);
    }
}
