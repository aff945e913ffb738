package org.rlhf4j.host.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rlhf4j.host.model.tokenizer.Tokenizer;
import org.rlhf4j.host.model.tokenizer.TokenizerJson;

/**
 * A checkpoint folder in Hugging Face's GPT-2 layout, loadable by {@code GPT2LMHeadModel.from_pretrained}:
 * <ul>
 *   <li>{@code config.json}: the sizes ({@link GptConfig#writeHf});</li>
 *   <li>{@code model.safetensors}: parameters named {@code transformer.h.0.attn.c_attn.weight} ...; the head
 *       is tied to {@code transformer.wte.weight} and not stored. HF GPT-2 keeps its linear layers as Conv1D,
 *       whose weight is (in, out): the transpose of ours, so those four weights per block are transposed on
 *       the way out and back on the way in;</li>
 *   <li>{@code tokenizer.json}.</li>
 * </ul>
 * Import accepts names with or without the {@code transformer.} prefix, skips the attention-mask buffers
 * ({@code attn.bias}, {@code attn.masked_bias}) and a stored {@code lm_head.weight} equal to the embedding.
 *
 * <p>A checkpoint always holds plain GPT-2 weights: a model's {@link Lora} adapters are merged into its base weights,
 * and a model without biases writes zero biases (HF GPT-2 always has them) and {@code "bias": false} in config.json,
 * which our import reads to drop them again; HF ignores that key. Other checkpoints keep their biases.
 */
public final class HfCheckpoint {

    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "model.safetensors";
    public static final String TOKENIZER = "tokenizer.json";

    /** A loaded checkpoint. */
    public record Loaded(Gpt model, Tokenizer tokenizer) implements AutoCloseable {
        @Override
        public void close() {
            model.close();
        }
    }

    private HfCheckpoint() {
    }

    /** Whether a parameter is one of HF's Conv1D weights, stored (in, out). */
    static boolean isConv1D(String name) {
        return name.endsWith("attn.c_attn.weight") || name.endsWith("attn.c_proj.weight")
                || name.endsWith("mlp.c_fc.weight") || name.endsWith("mlp.c_proj.weight");
    }

    /** Writes {@code dir} (created if needed): config, weights and tokenizer. */
    public static void save(Gpt model, Tokenizer tokenizer, Path dir) throws IOException {
        Files.createDirectories(dir);
        model.config().writeHf(dir.resolve(CONFIG), tokenizer.eosId());
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
        Map<String, Shape> shapes = Gpt.shapes(model.config().withBias(true));
        for (Map.Entry<String, float[]> e : exportWeights(model).entrySet()) {
            String name = e.getKey();
            long[] shape = shapes.get(name).getShape();
            float[] v = e.getValue();
            if (isConv1D(name)) {
                v = transpose(v, (int) shape[0], (int) shape[1]);
                shape = new long[] {shape[1], shape[0]};
            }
            tensors.put(Gpt.isScoreHead(name) ? name : "transformer." + name, new SafeTensors.Tensor(v, shape));
        }
        SafeTensors.write(dir.resolve(WEIGHTS), tensors);
        tokenizer.save(dir.resolve(TOKENIZER));
    }

    /**
     * A model's weights in GPT-2's full layout ({@link Gpt#shapes} with biases), (out, in) as in {@link Gpt}: its
     * adapters merged in (W + alpha / r * B A, DeepSpeed-Chat's fuse_lora_weight), zeros for biases it does not
     * have. A model built from them computes the adapted model's logits.
     */
    public static Map<String, float[]> exportWeights(Gpt model) {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (NDManager scope = model.manager().newSubManager()) {
            for (Map.Entry<String, Shape> e : Gpt.shapes(model.config().withBias(true)).entrySet()) {
                NDArray p = model.parameters().get(e.getKey());
                float[] merged = p == null || model.lora() == null ? null : model.lora().merged(e.getKey(), p, scope);
                out.put(e.getKey(), p == null ? new float[Math.toIntExact(e.getValue().size())]
                        : merged != null ? merged : p.toFloatArray());
            }
        }
        return out;
    }

    /** Reads a checkpoint folder onto {@code device}; errors name the file and the weight. */
    public static Loaded load(Path dir, Device device) throws IOException {
        for (String f : new String[] {CONFIG, WEIGHTS, TOKENIZER}) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new IOException(dir + " is not a GPT-2 checkpoint: " + f + " is missing");
            }
        }
        GptConfig config = GptConfig.readHf(dir.resolve(CONFIG));
        Tokenizer tokenizer = TokenizerJson.read(dir.resolve(TOKENIZER));
        if (tokenizer.vocabSize() > config.vocabSize()) {
            throw new IOException(dir.resolve(TOKENIZER) + " has " + tokenizer.vocabSize() + " tokens but "
                    + dir.resolve(CONFIG) + " says vocab_size " + config.vocabSize());
        }
        Map<String, SafeTensors.Tensor> stored = SafeTensors.read(dir.resolve(WEIGHTS));
        Map<String, float[]> weights = new LinkedHashMap<>();
        SafeTensors.Tensor head = null;
        for (Map.Entry<String, SafeTensors.Tensor> e : stored.entrySet()) {
            String name = e.getKey().startsWith("transformer.") ? e.getKey().substring("transformer.".length()) : e.getKey();
            if (name.endsWith(".attn.bias") || name.endsWith(".attn.masked_bias")) {
                continue;
            }
            if (name.equals("lm_head.weight")) {
                head = e.getValue();
                continue;
            }
            float[] v = e.getValue().values();
            long[] shape = e.getValue().shape();
            if (isConv1D(name)) {
                if (shape.length != 2) {
                    throw new IOException(dir.resolve(WEIGHTS) + ": " + e.getKey() + " is not a matrix");
                }
                v = transpose(v, (int) shape[0], (int) shape[1]);
            }
            weights.put(name, v);
        }
        if (head != null && weights.containsKey("wte.weight")
                && !java.util.Arrays.equals(head.values(), weights.get("wte.weight"))) {
            throw new IOException(dir.resolve(WEIGHTS) + ": lm_head.weight differs from wte.weight; only tied heads are supported");
        }
        if (!config.bias()) {
            for (String name : Gpt.shapes(config.withBias(true)).keySet()) {
                float[] b = name.endsWith(".bias") && !Gpt.isScoreHead(name) ? weights.remove(name) : null;
                for (int i = 0; b != null && i < b.length; i++) {
                    if (b[i] != 0) {
                        throw new IOException(dir.resolve(WEIGHTS) + ": " + name + " is not zero, but " + CONFIG + " says \"bias\": false");
                    }
                }
            }
        }
        try {
            GptConfig c = weights.containsKey("score.0.weight") ? config.withMlpScoreHead(true)
                    : config.withScoreHead(weights.containsKey("score.weight"));
            return new Loaded(Gpt.withWeights(c, device, weights), tokenizer);
        } catch (IllegalArgumentException e) {
            throw new IOException(dir.resolve(WEIGHTS) + ": " + e.getMessage(), e);
        }
    }

    /** (rows, cols) row-major -> (cols, rows) row-major. */
    static float[] transpose(float[] v, int rows, int cols) {
        float[] t = new float[v.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = v[r * cols + c];
            }
        }
        return t;
    }
}
