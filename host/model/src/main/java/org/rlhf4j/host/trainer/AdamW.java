package org.rlhf4j.host.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter, "Decoupled Weight Decay Regularization", 2019) as torch.optim.AdamW
 * computes it, with nanoGPT's grouping: weight decay only on matrices (dimension >= 2: linear weights and
 * embeddings), never on biases or LayerNorm gains. Also the global gradient norm and its clipping.
 *
 * <p>Per parameter p with gradient g, at step t (from 1), learning rate lr:
 * <pre>
 *   p -= lr * wd * p                                  (decay group only, decoupled from the gradient)
 *   m  = beta1 * m + (1 - beta1) * g
 *   v  = beta2 * v + (1 - beta2) * g^2
 *   p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 * The moments live in the optimizer's own manager, beside the parameters; everything a step creates goes
 * to the step's manager. Runs outside any GradientCollector, so the in-place updates are not recorded.
 */
public final class AdamW implements AutoCloseable {

    /** The optimizer's constants. */
    public record Hyper(double beta1, double beta2, double eps, double weightDecay) {
    }

    private final Hyper hyper;
    private final NDManager manager;
    private final Map<String, NDArray> params;
    private final Map<String, NDArray> m = new LinkedHashMap<>();
    private final Map<String, NDArray> v = new LinkedHashMap<>();
    private long step;

    public AdamW(Map<String, NDArray> params, Hyper hyper, NDManager parent) {
        this.hyper = hyper;
        this.params = params;
        this.manager = parent.newSubManager();
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            m.put(e.getKey(), manager.zeros(e.getValue().getShape(), e.getValue().getDataType()));
            v.put(e.getKey(), manager.zeros(e.getValue().getShape(), e.getValue().getDataType()));
        }
    }

    /** Whether a parameter is in the weight-decay group (matrices only, as nanoGPT). */
    public static boolean decays(NDArray param) {
        return param.getShape().dimension() >= 2;
    }

    /** The gradients of every parameter, as arrays of {@code step} (they share storage with the engine's). */
    public List<NDArray> gradients(NDManager stepManager) {
        List<NDArray> grads = new ArrayList<>(params.size());
        for (NDArray p : params.values()) {
            NDArray g = p.getGradient();   // created in the parameter's manager: move it to the step's
            g.attach(stepManager);
            grads.add(g);
        }
        return grads;
    }

    /** The global L2 norm of all gradients, as one number (one device sync). */
    public static float globalNorm(List<NDArray> grads) {
        NDList squares = new NDList(grads.size());
        for (NDArray g : grads) {
            squares.add(g.square().sum());
        }
        return (float) Math.sqrt(NDArrays.stack(squares).sum().getFloat());
    }

    /** Scales every gradient so that their global norm is at most {@code maxNorm}; returns the factor applied. */
    public static double clip(List<NDArray> grads, float norm, double maxNorm) {
        if (maxNorm <= 0 || norm <= maxNorm) {
            return 1.0;
        }
        double factor = maxNorm / (norm + 1e-6);
        for (NDArray g : grads) {
            g.muli(factor);   // in place, outside autograd: the scalar is used at once
        }
        return factor;
    }

    /** One update with learning rate {@code lr}, then zeroes the gradients (the collector does not). */
    public void update(List<NDArray> grads, double lr) {
        step++;
        double bc1 = 1 - Math.pow(hyper.beta1(), step);
        double bc2 = 1 - Math.pow(hyper.beta2(), step);
        double stepSize = lr / bc1;
        double sqrtBc2 = Math.sqrt(bc2);
        int i = 0;
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            NDArray p = e.getValue();
            NDArray g = grads.get(i++);
            NDArray mi = m.get(e.getKey());
            NDArray vi = v.get(e.getKey());
            if (hyper.weightDecay() > 0 && decays(p)) {
                p.muli(1 - lr * hyper.weightDecay());
            }
            mi.muli(hyper.beta1()).addi(g.mul(1 - hyper.beta1()));
            vi.muli(hyper.beta2()).addi(g.square().muli(1 - hyper.beta2()));
            // vi.sqrt() and mi.div() would belong to the optimizer's manager: close them here
            try (NDArray denom = vi.sqrt().divi(sqrtBc2).addi(hyper.eps()); NDArray delta = mi.div(denom)) {
                p.subi(delta.muli(stepSize));
            }
            JniUtils.zeroGrad((PtNDArray) p);
        }
    }

    /** Steps taken (t). */
    public long step() {
        return step;
    }

    /** The first and second moments by parameter name, for checkpoints. */
    public Map<String, NDArray> firstMoments() {
        return m;
    }

    public Map<String, NDArray> secondMoments() {
        return v;
    }

    /** Restores the state a checkpoint held. */
    public void restore(long steps, Map<String, float[]> first, Map<String, float[]> second) {
        this.step = steps;
        for (String name : params.keySet()) {
            set(m.get(name), first.get(name), name);
            set(v.get(name), second.get(name), name);
        }
    }

    private static void set(NDArray target, float[] values, String name) {
        if (values == null || values.length != target.size()) {
            throw new IllegalArgumentException("optimizer state for " + name + " is missing or has the wrong size");
        }
        StateCopy.overwrite(target, values);
    }

    @Override
    public void close() {
        manager.close();
    }
}
