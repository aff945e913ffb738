package org.rlhf4j.host.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A GPT-2 decoder on DJL's PyTorch engine, written as plain tensor code in the style of nanoGPT.
 *
 * <p>References:
 * <ol>
 *   <li>GPT-2: Radford et al., "Language Models are Unsupervised Multitask Learners" (2019);
 *       openai/gpt-2 src/model.py.</li>
 *   <li>nanoGPT (Karpathy), model.py: the same model, readable; its initialisation and AdamW grouping.</li>
 *   <li>Hugging Face transformers, models/gpt2/modeling_gpt2.py: the parameter names used here and the
 *       Conv1D layout that checkpoints store (see {@link HfCheckpoint}).</li>
 * </ol>
 *
 * <p>Shapes: B batch, T new tokens, P cached tokens, K = P + T keys, C width, H heads, D = C / H, V vocab.
 * Linear weights are held as (out, in), the layout of {@code torch.nn.functional.linear}. The output head
 * is the token embedding itself ({@code linear(x, wte)}): tied, never transposed, never copied.
 *
 * <p>The same object trains ({@code training = true}: dropout on, gradients recorded by the caller's
 * GradientCollector) and generates ({@code training = false}, with a {@link KvCache}). Parameters live in
 * the model's own manager on its device; every array a forward pass creates belongs to the manager of
 * the {@code tokens} it was given, so the caller frees a whole step by closing that manager.
 */
public final class Gpt implements AutoCloseable {

    /** Added to the scores of padded keys: finite, so a row of only padding never turns into NaN. */
    private static final float PAD_PENALTY = -1e9f;

    private final GptConfig config;
    private final NDManager manager;
    private final Map<String, NDArray> parameters = new LinkedHashMap<>();
    private final Block[] blocks;
    private final NDArray wte;         // (V, C)
    private final NDArray wpe;         // (context, C)
    private final NDArray lnFw;        // (C)
    private final NDArray lnFb;        // (C)
    private final NDArray scoreW;      // (1, C) or null
    private final NDArray causal;      // (context, context): 0 on and below the diagonal, -inf above
    private final NDArray attnScale;   // 1 / sqrt(D)
    private final NDArray one;
    private final NDArray padPenalty;
    private final NDArray geluCubic;   // 0.044715
    private final NDArray geluScale;   // sqrt(2 / pi)
    private final NDArray half;

    /** One transformer block's parameters. */
    private record Block(NDArray ln1w, NDArray ln1b, NDArray attnW, NDArray attnB, NDArray projW, NDArray projB,
                         NDArray ln2w, NDArray ln2b, NDArray fcW, NDArray fcB, NDArray mlpW, NDArray mlpB) {
    }

    private Gpt(GptConfig config, Device device, Map<String, float[]> values) {
        this.config = config;
        this.manager = NDManager.newBaseManager(device);
        for (Map.Entry<String, Shape> e : shapes(config).entrySet()) {
            float[] v = values.get(e.getKey());
            NDArray p = manager.create(v, e.getValue());
            p.setName(e.getKey());
            p.setRequiresGradient(true);
            parameters.put(e.getKey(), p);
        }
        wte = parameters.get("wte.weight");
        wpe = parameters.get("wpe.weight");
        lnFw = parameters.get("ln_f.weight");
        lnFb = parameters.get("ln_f.bias");
        scoreW = parameters.get("score.weight");
        blocks = new Block[config.layers()];
        for (int i = 0; i < blocks.length; i++) {
            String h = "h." + i + ".";
            blocks[i] = new Block(p(h + "ln_1.weight"), p(h + "ln_1.bias"), p(h + "attn.c_attn.weight"),
                    p(h + "attn.c_attn.bias"), p(h + "attn.c_proj.weight"), p(h + "attn.c_proj.bias"),
                    p(h + "ln_2.weight"), p(h + "ln_2.bias"), p(h + "mlp.c_fc.weight"), p(h + "mlp.c_fc.bias"),
                    p(h + "mlp.c_proj.weight"), p(h + "mlp.c_proj.bias"));
        }
        int n = config.context();
        float[] mask = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                mask[i * n + j] = Float.NEGATIVE_INFINITY;
            }
        }
        causal = manager.create(mask, new Shape(n, n));
        // Scalars as long-lived tensors: NDArray.mul(Number) frees its scalar while autograd still needs it.
        attnScale = manager.create((float) (1.0 / Math.sqrt(config.headSize())));
        one = manager.create(1f);
        padPenalty = manager.create(-PAD_PENALTY);
        geluCubic = manager.create(0.044715f);
        geluScale = manager.create((float) Math.sqrt(2.0 / Math.PI));
        half = manager.create(0.5f);
    }

    private NDArray p(String name) {
        return parameters.get(name);
    }

    /** A freshly initialised model, as nanoGPT does it: N(0, 0.02), residual projections scaled by 1/sqrt(2L). */
    public static Gpt initialised(GptConfig config, Device device, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, float[]> values = new LinkedHashMap<>();
        double residualStd = config.initStd() / Math.sqrt(2.0 * config.layers());
        for (Map.Entry<String, Shape> e : shapes(config).entrySet()) {
            String name = e.getKey();
            float[] v = new float[Math.toIntExact(e.getValue().size())];
            if (name.contains("ln_") && name.endsWith(".weight")) {
                java.util.Arrays.fill(v, 1f);
            } else if (name.endsWith(".weight")) {
                double std = name.endsWith("c_proj.weight") ? residualStd : config.initStd();
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (rng.nextGaussian() * std);
                }
            }
            values.put(name, v);
        }
        return new Gpt(config, device, values);
    }

    /** A model with the given weights (names as {@link #shapes}, linear weights (out, in)); checks every shape. */
    public static Gpt withWeights(GptConfig config, Device device, Map<String, float[]> weights) {
        Map<String, Shape> expected = shapes(config);
        for (Map.Entry<String, Shape> e : expected.entrySet()) {
            float[] v = weights.get(e.getKey());
            if (v == null) {
                throw new IllegalArgumentException("weight " + e.getKey() + " is missing");
            }
            if (v.length != e.getValue().size()) {
                throw new IllegalArgumentException("weight " + e.getKey() + " has " + v.length + " values, expected "
                        + e.getValue() + " for " + config);
            }
        }
        for (String name : weights.keySet()) {
            if (!expected.containsKey(name)) {
                throw new IllegalArgumentException("unexpected weight " + name + " for " + config);
            }
        }
        return new Gpt(config, device, weights);
    }

    /** Every parameter's name (Hugging Face GPT-2 names without the {@code transformer.} prefix) and shape. */
    public static Map<String, Shape> shapes(GptConfig c) {
        int C = c.width();
        Map<String, Shape> s = new LinkedHashMap<>();
        s.put("wte.weight", new Shape(c.vocabSize(), C));
        s.put("wpe.weight", new Shape(c.context(), C));
        for (int i = 0; i < c.layers(); i++) {
            String h = "h." + i + ".";
            s.put(h + "ln_1.weight", new Shape(C));
            s.put(h + "ln_1.bias", new Shape(C));
            s.put(h + "attn.c_attn.weight", new Shape(3L * C, C));
            s.put(h + "attn.c_attn.bias", new Shape(3L * C));
            s.put(h + "attn.c_proj.weight", new Shape(C, C));
            s.put(h + "attn.c_proj.bias", new Shape(C));
            s.put(h + "ln_2.weight", new Shape(C));
            s.put(h + "ln_2.bias", new Shape(C));
            s.put(h + "mlp.c_fc.weight", new Shape(4L * C, C));
            s.put(h + "mlp.c_fc.bias", new Shape(4L * C));
            s.put(h + "mlp.c_proj.weight", new Shape(C, 4L * C));
            s.put(h + "mlp.c_proj.bias", new Shape(C));
        }
        s.put("ln_f.weight", new Shape(C));
        s.put("ln_f.bias", new Shape(C));
        if (c.scoreHead()) {
            s.put("score.weight", new Shape(1, C));
        }
        return s;
    }

    /**
     * The trunk: final hidden states after ln_f, (B, T, C).
     *
     * @param tokens (B, T) int64 token ids
     * @param attentionMask (B, P + T), 1 for real tokens and 0 for (left) padding; null when nothing is padded
     * @param cache keys and values of the P earlier tokens, extended by T here; null to attend to {@code tokens} only
     * @param training dropout on (the caller records gradients); false for evaluation and sampling
     */
    public NDArray hidden(NDArray tokens, NDArray attentionMask, KvCache cache, boolean training) {
        NDManager m = tokens.getManager();
        long B = tokens.getShape().get(0);
        long T = tokens.getShape().get(1);
        long P = cache == null ? 0 : cache.length();
        long K = P + T;
        if (K > config.context()) {
            throw new IllegalArgumentException("sequence of " + K + " tokens is longer than the context " + config.context());
        }
        NDArray positions;                                                    // (B, T) or (T)
        NDArray mask = causal.get(new NDIndex("{}:{}, :{}", P, K, K));        // (T, K)
        mask.attach(m);
        if (attentionMask == null) {
            positions = m.arange((int) P, (int) K, 1, DataType.INT64);
        } else {
            NDArray keep = attentionMask.toType(DataType.INT64, false);
            positions = keep.cumSum(1).sub(1).maximum(0).get(new NDIndex(":, {}:", P)); // positions count real tokens
            NDArray pad = keep.toType(DataType.FLOAT32, false).sub(one).mul(padPenalty);   // (B, K): 0 or -1e9
            mask = mask.add(pad.reshape(B, 1, 1, K));                                       // (B, 1, T, K)
        }
        NDArray x = embedding(tokens, wte).add(embedding(positions, wpe));  // (B, T, C)
        x = dropout(x, training);
        for (int l = 0; l < blocks.length; l++) {
            x = block(blocks[l], x, mask, cache, l, training);
        }
        if (cache != null) {
            cache.advance(T);
        }
        return layerNorm(x, lnFw, lnFb);                                   // (B, T, C)
    }

    private NDArray block(Block b, NDArray x, NDArray mask, KvCache cache, int layer, boolean training) {
        x = x.add(dropout(linear(attention(b, layerNorm(x, b.ln1w, b.ln1b), mask, cache, layer, training),
                b.projW, b.projB), training));                                       // (B, T, C)
        NDArray h = linear(layerNorm(x, b.ln2w, b.ln2b), b.fcW, b.fcB);                // (B, T, 4C)
        return x.add(dropout(linear(gelu(h), b.mlpW, b.mlpB), training));              // (B, T, C)
    }

    /** Causal multi-head self-attention of normalised x (B, T, C), returning (B, T, C) before c_proj. */
    private NDArray attention(Block b, NDArray x, NDArray mask, KvCache cache, int layer, boolean training) {
        long B = x.getShape().get(0);
        long T = x.getShape().get(1);
        int H = config.heads();
        int D = config.headSize();
        NDList qkv = linear(x, b.attnW, b.attnB).split(3, 2);                           // 3 x (B, T, C)
        NDArray q = qkv.get(0).reshape(B, T, H, D).transpose(0, 2, 1, 3).mul(attnScale); // (B, H, T, D)
        NDArray kT = qkv.get(1).reshape(B, T, H, D).transpose(0, 2, 3, 1);              // (B, H, D, T)
        NDArray v = qkv.get(2).reshape(B, T, H, D).transpose(0, 2, 1, 3);               // (B, H, T, D)
        if (cache != null) {
            NDList kv = cache.append(layer, kT, v);
            kT = kv.get(0);                                                           // (B, H, D, K)
            v = kv.get(1);                                                            // (B, H, K, D)
        }
        NDArray att = q.matMul(kT).add(mask).softmax(-1);                              // (B, H, T, K)
        att = dropout(att, training);
        return att.matMul(v).transpose(0, 2, 1, 3).reshape(B, T, (long) H * D);       // (B, T, C)
    }

    /** Next-token logits through the tied head: (B, T, C) -> (B, T, V). */
    public NDArray logits(NDArray hidden) {
        return linear(hidden, wte, null);
    }

    /** The scalar head per token: (B, T, C) -> (B, T). Only on a model built with a score head. */
    public NDArray values(NDArray hidden) {
        if (scoreW == null) {
            throw new IllegalStateException("this model has no score head (GptConfig.scoreHead)");
        }
        return linear(hidden, scoreW, null).squeeze(-1);
    }

    /** One score per sequence: the value at its last real token, from values (B, T) and mask (B, T). */
    public static NDArray lastTokenScore(NDArray values, NDArray attentionMask) {
        long T = values.getShape().get(1);
        NDManager m = values.getManager();
        NDArray rank = attentionMask.toType(DataType.INT64, false).mul(m.arange(1, (int) T + 1, 1, DataType.INT64));
        NDArray last = rank.argMax(1).expandDims(1);                                  // (B, 1)
        return values.gather(last, 1).squeeze(1);                                     // (B)
    }

    private NDArray gelu(NDArray x) {
        if (config.activation().equals("gelu")) {
            return x.getNDArrayInternal().gelu();
        }
        // GPT-2's gelu_new: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
        NDArray inner = x.mul(x).mul(x).mul(geluCubic).add(x).mul(geluScale);
        return x.mul(half).mul(inner.tanh().add(one));
    }

    private NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta) {
        return x.getNDArrayInternal().layerNorm(x, new Shape(config.width()), gamma, beta,
                (float) config.layerNormEps()).singletonOrThrow();
    }

    private static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
    }

    private static NDArray embedding(NDArray ids, NDArray table) {
        return ids.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
    }

    private NDArray dropout(NDArray x, boolean training) {
        if (!training || config.dropout() == 0) {
            return x;
        }
        return x.getNDArrayInternal().dropout(x, (float) config.dropout(), true).singletonOrThrow();
    }

    /** The parameters by name, in a fixed order. Do not close them. */
    public Map<String, NDArray> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /** The number of trainable values. */
    public long parameterCount() {
        return parameters.values().stream().mapToLong(a -> a.getShape().size()).sum();
    }

    public GptConfig config() {
        return config;
    }

    /** The device the parameters live on. */
    public Device device() {
        return manager.getDevice();
    }

    /** The manager that owns the parameters; create per-step sub-managers from it. */
    public NDManager manager() {
        return manager;
    }

    @Override
    public void close() {
        manager.close();
    }
}
