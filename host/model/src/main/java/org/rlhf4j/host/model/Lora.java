package org.rlhf4j.host.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Low-rank adapters (LoRA: Hu et al., "LoRA: Low-Rank Adaptation of Large Language Models", 2021) on the linear
 * layers of a {@link Gpt}'s blocks. A frozen linear layer W (out, in) with bias b becomes
 * <pre>
 *   y = linear(x, W, b) + scaling * linear(linear(x, A), B)      A (r, in), B (out, r), scaling = alpha / r
 * </pre>
 * A is drawn as PEFT draws it (kaiming_uniform with a = sqrt(5): U(-1/sqrt(in), 1/sqrt(in))) and B is zero, so a
 * fresh adapter changes nothing. DeepSpeed-Chat's {@code dschat/utils/module/lora.py} (LinearLayer_LoRA) computes
 * the same: its {@code lora_right_weight} (in, r) is A transposed, its zero-initialised {@code lora_left_weight}
 * (r, out) is B transposed, and its {@code lora_scaling} is alpha / lora_dim (alpha 1 by default). Names and layout
 * here are PEFT's ({@code h.0.attn.c_attn.lora_A.weight} (r, in), {@code ...lora_B.weight} (out, r)), the (out, in)
 * layout of every weight in {@link Gpt}. No dropout on the adapter path (DeepSpeed-Chat's default lora_dropout 0).
 */
public final class Lora {

    /** The block linear layers an adapter can sit on, by their Hugging Face GPT-2 names. */
    public enum Layer {
        C_ATTN("attn.c_attn"), ATTN_PROJ("attn.c_proj"), C_FC("mlp.c_fc"), MLP_PROJ("mlp.c_proj");

        private final String hfName;

        Layer(String hfName) {
            this.hfName = hfName;
        }

        public String hfName() {
            return hfName;
        }

        static Layer of(String name) {
            for (Layer l : values()) {
                if (l.hfName.equals(name)) {
                    return l;
                }
            }
            throw new IllegalArgumentException("no linear layer '" + name + "' to adapt; known: "
                    + Arrays.stream(values()).map(Layer::hfName).toList());
        }
    }

    /**
     * What to adapt.
     *
     * @param rank r, the adapters' inner dimension (DeepSpeed-Chat's lora_dim)
     * @param alpha the update is scaled by alpha / r (DeepSpeed-Chat's lora_scaling, PEFT's lora_alpha)
     * @param layers which block linear layers, by HF name ({@link Layer}); DeepSpeed-Chat adapts every decoder linear layer
     */
    public record Spec(int rank, double alpha, List<String> layers) {
        public Spec {
            if (rank < 1) {
                throw new IllegalArgumentException("the LoRA rank must be at least 1, got " + rank);
            }
            if (!(alpha > 0)) {
                throw new IllegalArgumentException("the LoRA alpha must be > 0, got " + alpha);
            }
            if (layers.isEmpty()) {
                throw new IllegalArgumentException("no layers to put LoRA adapters on");
            }
            layers.forEach(Layer::of);
            layers = List.copyOf(layers);
        }

        /** Every linear layer of every block. */
        public static Spec allLayers(int rank, double alpha) {
            return new Spec(rank, alpha, Arrays.stream(Layer.values()).map(Layer::hfName).toList());
        }

        public double scaling() {
            return alpha / rank;
        }
    }

    private final Spec spec;
    private final Map<String, NDArray> weights = new LinkedHashMap<>();
    private final NDArray[][] down;   // [block][layer]: A (r, in), or null where not adapted
    private final NDArray[][] up;     // [block][layer]: B (out, r)
    private final NDArray scaling;    // alpha / r, a long-lived tensor (docs/pitfalls.md: never mul(Number) under autograd)

    /** Adapters for the linear weights of {@code shapes} (a {@link Gpt}'s), in {@code manager}, drawn from {@code seed}. */
    Lora(Spec spec, Map<String, Shape> shapes, int blocks, NDManager manager, long seed) {
        this.spec = spec;
        this.down = new NDArray[blocks][Layer.values().length];
        this.up = new NDArray[blocks][Layer.values().length];
        SplittableRandom rng = new SplittableRandom(seed);
        int r = spec.rank();
        for (int i = 0; i < blocks; i++) {
            for (String name : spec.layers()) {
                Layer layer = Layer.of(name);
                String w = "h." + i + "." + name;
                Shape s = shapes.get(w + ".weight");                                   // (out, in)
                long out = s.get(0);
                long in = s.get(1);
                float[] a = new float[Math.toIntExact(r * in)];
                double bound = 1 / Math.sqrt(in);
                for (int k = 0; k < a.length; k++) {
                    a[k] = (float) ((2 * rng.nextDouble() - 1) * bound);
                }
                down[i][layer.ordinal()] = parameter(manager, w + ".lora_A.weight", manager.create(a, new Shape(r, in)));
                up[i][layer.ordinal()] = parameter(manager, w + ".lora_B.weight", manager.zeros(new Shape(out, r)));
            }
        }
        scaling = manager.create((float) spec.scaling());
    }

    private NDArray parameter(NDManager manager, String name, NDArray a) {
        a.setName(name);
        a.setRequiresGradient(true);
        weights.put(name, a);
        return a;
    }

    /** y (B, T, out) of the frozen layer plus the adapter's update of its input x (B, T, in). */
    NDArray add(int block, Layer layer, NDArray x, NDArray y) {
        NDArray a = down[block][layer.ordinal()];
        if (a == null) {
            return y;
        }
        NDArray low = Gpt.linear(x, a, null).mul(scaling);                            // (B, T, r)
        return y.add(Gpt.linear(low, up[block][layer.ordinal()], null));              // (B, T, out)
    }

    /** The weight {@code name} with its adapter merged in: W + scaling * B A, (out, in); null when it has none. */
    float[] merged(String name, NDArray base, NDManager scope) {
        String stem = name.substring(0, name.length() - ".weight".length());          // h.0.attn.c_attn
        NDArray a = name.endsWith(".weight") ? weights.get(stem + ".lora_A.weight") : null;
        if (a == null) {
            return null;
        }
        NDArray b = weights.get(stem + ".lora_B.weight");
        NDArray delta = b.matMul(a);                                                  // (out, in), in the model's manager
        delta.attach(scope);
        return delta.muli(scaling).addi(base).toFloatArray();
    }

    /** The adapter weights by name, in a fixed order. */
    public Map<String, NDArray> weights() {
        return Collections.unmodifiableMap(weights);
    }

    public Spec spec() {
        return spec;
    }
}
