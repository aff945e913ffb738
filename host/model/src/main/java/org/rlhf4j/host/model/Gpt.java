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
 *
 * <p>Options: without biases ({@link GptConfig#bias} false, nanoGPT's default) every Linear and LayerNorm bias is
 * gone; with {@link #addAdapters} the block linear layers get {@link Lora} adapters, the base weights freeze and
 * only {@link #trainable} weights learn; {@link #withoutAdapters} is the same model with the adapters off (PEFT's
 * disable_adapter()), the frozen base: PPO's reference, with no copy of the weights.
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
    private final NDArray lnFb;        // (C) or null without biases
    private final NDArray scoreW;      // (1, C) or null; the MLP head's last layer (1, 2C)
    private final NDArray scoreB;      // (1) for the MLP head, else null
    private final NDArray score0W;     // (2C, C) for the MLP head, else null
    private final NDArray score0B;     // (2C) for the MLP head, else null
    private final NDArray causal;      // (context, context): 0 on and below the diagonal, -inf above
    private final NDArray attnScale;   // 1 / sqrt(D)
    private final NDArray one;
    private final NDArray padPenalty;
    private final NDArray geluCubic;   // 0.044715
    private final NDArray geluScale;   // sqrt(2 / pi)
    private final NDArray half;
    private final NDArray zeroBeta;    // (C) zeros for LayerNorm without biases (DJL's layerNorm needs a beta)
    private final boolean owner;       // false for a view from withoutAdapters(): the weights belong to another Gpt
    private Lora adapters;             // null: none, or this is the adapters-off view
    private Map<String, NDArray> trainable;

    /** One transformer block's parameters; the biases are null in a model without them. */
    private record Block(int index, NDArray ln1w, NDArray ln1b, NDArray attnW, NDArray attnB, NDArray projW, NDArray projB,
                         NDArray ln2w, NDArray ln2b, NDArray fcW, NDArray fcB, NDArray mlpW, NDArray mlpB) {
    }

    /** A model owning {@code values} as its parameters, in a manager of its own on {@code device}. */
    private static Gpt create(GptConfig config, Device device, Map<String, float[]> values) {
        NDManager manager = NDManager.newBaseManager(device);
        return new Gpt(config, manager, arrays(config, manager, values));
    }

    /** The weights {@code parameters} (by {@link #shapes} name; they may belong to another model), constants in {@code manager}. */
    private Gpt(GptConfig config, NDManager manager, Map<String, NDArray> parameters) {
        this.config = config;
        this.manager = manager;
        this.parameters.putAll(parameters);
        wte = parameters.get("wte.weight");
        wpe = parameters.get("wpe.weight");
        lnFw = parameters.get("ln_f.weight");
        lnFb = parameters.get("ln_f.bias");
        boolean mlp = config.mlpScoreHead();
        scoreW = parameters.get(mlp ? "score.2.weight" : "score.weight");
        scoreB = parameters.get("score.2.bias");
        score0W = parameters.get("score.0.weight");
        score0B = parameters.get("score.0.bias");
        blocks = new Block[config.layers()];
        for (int i = 0; i < blocks.length; i++) {
            String h = "h." + i + ".";
            blocks[i] = new Block(i, p(h + "ln_1.weight"), p(h + "ln_1.bias"), p(h + "attn.c_attn.weight"),
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
        zeroBeta = config.bias() ? null : manager.zeros(new Shape(config.width()));
        owner = true;
        trainable = Collections.unmodifiableMap(this.parameters);
    }

    /** {@code values} as parameters of {@code manager}, each recording gradients. */
    private static Map<String, NDArray> arrays(GptConfig config, NDManager manager, Map<String, float[]> values) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, Shape> e : shapes(config).entrySet()) {
            NDArray p = manager.create(values.get(e.getKey()), e.getValue());
            p.setName(e.getKey());
            p.setRequiresGradient(true);
            out.put(e.getKey(), p);
        }
        return out;
    }

    /** The same weights with no adapters, owning nothing. */
    private Gpt(Gpt base) {
        config = base.config;
        manager = base.manager;
        parameters.putAll(base.parameters);
        blocks = base.blocks;
        wte = base.wte;
        wpe = base.wpe;
        lnFw = base.lnFw;
        lnFb = base.lnFb;
        scoreW = base.scoreW;
        scoreB = base.scoreB;
        score0W = base.score0W;
        score0B = base.score0B;
        causal = base.causal;
        attnScale = base.attnScale;
        one = base.one;
        padPenalty = base.padPenalty;
        geluCubic = base.geluCubic;
        geluScale = base.geluScale;
        half = base.half;
        zeroBeta = base.zeroBeta;
        owner = false;
        trainable = Map.of();
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
            } else if (name.endsWith(".weight")) { // biases stay 0
                double std = name.endsWith("c_proj.weight") ? residualStd : config.initStd();
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (rng.nextGaussian() * std);
                }
            }
            values.put(name, v);
        }
        return create(config, device, values);
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
        return create(config, device, weights);
    }

    /**
     * Every parameter's name (Hugging Face GPT-2 names without the {@code transformer.} prefix) and shape; without
     * biases ({@link GptConfig#bias} false) the {@code .bias} entries are left out.
     */
    public static Map<String, Shape> shapes(GptConfig c) {
        int C = c.width();
        Map<String, Shape> s = new LinkedHashMap<>();
        s.put("wte.weight", new Shape(c.vocabSize(), C));
        s.put("wpe.weight", new Shape(c.context(), C));
        for (int i = 0; i < c.layers(); i++) {
            String h = "h." + i + ".";
            layer(s, c, h + "ln_1", new Shape(C), C);
            layer(s, c, h + "attn.c_attn", new Shape(3L * C, C), 3L * C);
            layer(s, c, h + "attn.c_proj", new Shape(C, C), C);
            layer(s, c, h + "ln_2", new Shape(C), C);
            layer(s, c, h + "mlp.c_fc", new Shape(4L * C, C), 4L * C);
            layer(s, c, h + "mlp.c_proj", new Shape(C, 4L * C), C);
        }
        layer(s, c, "ln_f", new Shape(C), C);
        if (c.scoreHead() && c.mlpScoreHead()) { // TrlX's make_head: Linear(C, 2C), ReLU, Linear(2C, 1), with biases
            s.put("score.0.weight", new Shape(2L * C, C));
            s.put("score.0.bias", new Shape(2L * C));
            s.put("score.2.weight", new Shape(1, 2L * C));
            s.put("score.2.bias", new Shape(1));
        } else if (c.scoreHead()) {
            s.put("score.weight", new Shape(1, C));
        }
        return s;
    }

    private static void layer(Map<String, Shape> s, GptConfig c, String name, Shape weight, long out) {
        s.put(name + ".weight", weight);
        if (c.bias()) {
            s.put(name + ".bias", new Shape(out));
        }
    }

    /**
     * Puts low-rank adapters on the block linear layers ({@link Lora}) and freezes the base weights: from now on
     * only {@link #trainable} learns - the adapters and the score head, if any (a value head is new to its task, as
     * PEFT's modules_to_save keeps a classifier trainable). The adapters start at zero: the logits do not change.
     */
    public void addAdapters(Lora.Spec spec, long seed) {
        if (!owner || adapters != null) {
            throw new IllegalStateException(owner ? "this model already has adapters" : "a view without adapters cannot get any");
        }
        adapters = new Lora(spec, shapes(config), config.layers(), manager, seed);
        Map<String, NDArray> t = new LinkedHashMap<>(adapters.weights());
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            boolean head = isScoreHead(e.getKey());
            e.getValue().setRequiresGradient(head);
            if (head) {
                t.put(e.getKey(), e.getValue());
            }
        }
        trainable = Collections.unmodifiableMap(t);
    }

    /**
     * TrlX's num_layers_unfrozen = {@code unfrozen} >= 0 (CarperAI/trlx 3340c2f, freeze_bottom_causal_layers,
     * trlx/utils/modeling.py:22-38, called from accelerate_base_trainer.py:161): the token embedding (so the tied
     * output head) and every block below the top {@code unfrozen} stop learning; the position embedding, the top
     * blocks, ln_f and the score head keep training, as there. Not with adapters (TrlX ignores it under PEFT).
     */
    public void freezeBottom(int unfrozen) {
        if (!owner || adapters != null || unfrozen < 0) {
            throw new IllegalStateException("freezeBottom needs a model of its own without adapters and unfrozen >= 0");
        }
        Map<String, NDArray> t = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            boolean trains = !e.getKey().startsWith("wte.") && blockOf(e.getKey()) >= config.layers() - unfrozen;
            e.getValue().setRequiresGradient(trains);
            if (trains) {
                t.put(e.getKey(), e.getValue());
            }
        }
        trainable = Collections.unmodifiableMap(t);
    }

    /** The block a parameter belongs to ({@code h.<i>.}), or {@code layers} for one outside the blocks. */
    private int blockOf(String name) {
        return name.startsWith("h.") ? Integer.parseInt(name.substring(2, name.indexOf('.', 2))) : config.layers();
    }

    /**
     * TrlX's frozen hydra branch, its reference policy when num_layers_unfrozen = {@code unfrozen} > 0
     * (AutoModelForCausalLMWithHydraValueHead.forward_hydra, trlx/models/modeling_ppo.py:385-453, used at
     * accelerate_ppo_trainer.py:424-430): this model's own weights below the top {@code unfrozen} blocks (wte, wpe and
     * the bottom blocks, shared: a trained position embedding moves the branch too, as there) under frozen copies of
     * the top blocks and ln_f as they are now; no score head. It owns only the copies and must not outlive this model.
     */
    public Gpt frozenBranch(int unfrozen) {
        if (!owner || adapters != null || unfrozen <= 0) {
            throw new IllegalStateException("frozenBranch needs a model of its own without adapters and unfrozen > 0");
        }
        GptConfig c = config.withScoreHead(false);
        NDManager branch = NDManager.newBaseManager(manager.getDevice());
        Map<String, NDArray> p = new LinkedHashMap<>();
        for (String name : shapes(c).keySet()) {
            NDArray shared = parameters.get(name);
            boolean top = name.startsWith("h.") && blockOf(name) >= config.layers() - unfrozen;
            if (top || name.startsWith("ln_f.")) { // the top blocks and ln_f: copies
                NDArray copy = shared.duplicate();
                copy.attach(branch);
                copy.setRequiresGradient(false);
                p.put(name, copy);
            } else {
                p.put(name, shared);
            }
        }
        Gpt g = new Gpt(c, branch, p);
        g.trainable = Map.of();
        return g;
    }

    /**
     * The same model with its adapters off (PEFT's disable_adapter()): the frozen base weights, shared, not copied.
     * The view owns nothing (closing it does nothing) and must not outlive this model.
     */
    public Gpt withoutAdapters() {
        return new Gpt(this);
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
            // Each block's intermediate arrays are freed as soon as its output exists: autograd keeps what the
            // backward pass needs on its own, so only the output joins the caller's manager.
            try (NDManager scope = m.newSubManager()) {
                x.attach(scope);
                x = block(blocks[l], x, mask, cache, l, training);
                x.attach(m);
            }
        }
        if (cache != null) {
            cache.advance(T);
        }
        return layerNorm(x, lnFw, lnFb);                                   // (B, T, C)
    }

    private NDArray block(Block b, NDArray x, NDArray mask, KvCache cache, int layer, boolean training) {
        NDArray a = attention(b, layerNorm(x, b.ln1w, b.ln1b), mask, cache, layer, training);     // (B, T, C)
        x = x.add(dropout(dense(b, Lora.Layer.ATTN_PROJ, a, b.projW, b.projB), training));       // (B, T, C)
        NDArray h = dense(b, Lora.Layer.C_FC, layerNorm(x, b.ln2w, b.ln2b), b.fcW, b.fcB);      // (B, T, 4C)
        return x.add(dropout(dense(b, Lora.Layer.MLP_PROJ, gelu(h), b.mlpW, b.mlpB), training)); // (B, T, C)
    }

    /** A block's linear layer, plus its adapter's update when it has one. */
    private NDArray dense(Block b, Lora.Layer layer, NDArray x, NDArray weight, NDArray bias) {
        NDArray y = linear(x, weight, bias);
        return adapters == null ? y : adapters.add(b.index(), layer, x, y);
    }

    /** Causal multi-head self-attention of normalised x (B, T, C), returning (B, T, C) before c_proj. */
    private NDArray attention(Block b, NDArray x, NDArray mask, KvCache cache, int layer, boolean training) {
        long B = x.getShape().get(0);
        long T = x.getShape().get(1);
        int H = config.heads();
        int D = config.headSize();
        NDList qkv = dense(b, Lora.Layer.C_ATTN, x, b.attnW, b.attnB).split(3, 2);       // 3 x (B, T, C)
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
        if (score0W == null) {
            return linear(hidden, scoreW, null).squeeze(-1);
        }
        NDArray h = linear(hidden, score0W, score0B);                       // (B, T, 2C)
        return linear(h.getNDArrayInternal().relu(), scoreW, scoreB).squeeze(-1);
    }

    /** Whether a parameter name is the score head's ({@code score.weight}, or the MLP head's {@code score.0.*}, {@code score.2.*}). */
    public static boolean isScoreHead(String name) {
        return name.startsWith("score.");
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
        return x.getNDArrayInternal().layerNorm(x, new Shape(config.width()), gamma, beta == null ? zeroBeta : beta,
                (float) config.layerNormEps()).singletonOrThrow();
    }

    static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
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

    /** The base weights by name ({@link #shapes}), in a fixed order; frozen when there are adapters. Do not close them. */
    public Map<String, NDArray> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /** What an optimizer trains: every parameter, or with adapters only the adapters and the score head. */
    public Map<String, NDArray> trainable() {
        return trainable;
    }

    /** The number of values in the base weights (adapters not counted). */
    public long parameterCount() {
        return parameters.values().stream().mapToLong(a -> a.getShape().size()).sum();
    }

    /** The number of values an optimizer trains. */
    public long trainableCount() {
        return trainable.values().stream().mapToLong(a -> a.getShape().size()).sum();
    }

    /** The adapters, or null (package: {@link HfCheckpoint} merges them). */
    Lora lora() {
        return adapters;
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

    /** Frees the weights; does nothing for a view from {@link #withoutAdapters}. */
    @Override
    public void close() {
        if (owner) {
            manager.close();
        }
    }
}
