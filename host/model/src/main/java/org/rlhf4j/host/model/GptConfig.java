package org.rlhf4j.host.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rlhf4j.api.ConfigProblem;

/**
 * The sizes of a {@link Gpt}: read from the {@code model} block, or from a Hugging Face GPT-2
 * {@code config.json} (n_layer, n_head, n_embd, n_positions, vocab_size, activation_function ...).
 *
 * @param vocabSize tokens in the vocabulary (the tokenizer's size)
 * @param context the longest sequence (number of learned positions)
 * @param layers transformer blocks
 * @param heads attention heads per block; {@code width} must be a multiple
 * @param width the residual stream's width (n_embd)
 * @param dropout dropout on embeddings, attention weights and residual branches while training
 * @param activation {@code gelu} (exact erf, nanoGPT) or {@code gelu_new} (tanh approximation, HF GPT-2)
 * @param layerNormEps LayerNorm epsilon
 * @param initStd standard deviation of the initial weights (GPT-2: 0.02)
 * @param scoreHead whether the model has a scalar head ({@code score.weight}) on its trunk
 * @param bias whether Linear and LayerNorm layers have biases (GPT-2: yes; nanoGPT's default {@code bias = False}:
 *             no). A bias-free model exports zero biases, since HF GPT-2 always has them
 * @param mlpScoreHead with {@code scoreHead}: the head is TrlX's make_head MLP, Linear(C, 2C) -> ReLU -> Linear(2C, 1)
 *             with biases ({@code score.0.*}, {@code score.2.*}; CarperAI/trlx 3340c2f trlx/utils/modeling.py:13-19),
 *             instead of GPT2ForSequenceClassification's bias-free Linear(C, 1) ({@code score.weight})
 */
public record GptConfig(int vocabSize, int context, int layers, int heads, int width, double dropout,
                        String activation, double layerNormEps, double initStd, boolean scoreHead, boolean bias,
                        boolean mlpScoreHead) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public GptConfig {
        if (vocabSize < 1 || context < 1 || layers < 1 || heads < 1 || width < 1) {
            throw new IllegalArgumentException("model sizes must be positive: " + this);
        }
        if (width % heads != 0) {
            throw new IllegalArgumentException("model.width " + width + " is not a multiple of model.heads " + heads);
        }
        if (dropout < 0 || dropout >= 1) {
            throw new IllegalArgumentException("model.dropout must be in [0, 1), got " + dropout);
        }
        if (!activation.equals("gelu") && !activation.equals("gelu_new")) {
            throw new IllegalArgumentException("model.activation must be gelu or gelu_new, got " + activation);
        }
    }

    /** A linear score head, if any. */
    public GptConfig(int vocabSize, int context, int layers, int heads, int width, double dropout,
                     String activation, double layerNormEps, double initStd, boolean scoreHead, boolean bias) {
        this(vocabSize, context, layers, heads, width, dropout, activation, layerNormEps, initStd, scoreHead, bias, false);
    }

    /** GPT-2's layout, with biases. */
    public GptConfig(int vocabSize, int context, int layers, int heads, int width, double dropout,
                     String activation, double layerNormEps, double initStd, boolean scoreHead) {
        this(vocabSize, context, layers, heads, width, dropout, activation, layerNormEps, initStd, scoreHead, true);
    }

    /** Reads the {@code model} block; {@code vocabSize} comes from the tokenizer. */
    public static GptConfig from(Config model, int vocabSize) {
        try {
            return new GptConfig(vocabSize, model.getInt("context"), model.getInt("layers"), model.getInt("heads"),
                    model.getInt("width"), model.getDouble("dropout"), model.getString("activation"),
                    model.getDouble("layer-norm-eps"), model.getDouble("init-std"), false, model.getBoolean("bias"));
        } catch (IllegalArgumentException e) {
            throw new ConfigProblem(model, "width", e.getMessage());
        }
    }

    /** The size of each head. */
    public int headSize() {
        return width / heads;
    }

    /** This config with a scalar head (critics, reward and cost models), linear unless {@link #mlpScoreHead}. */
    public GptConfig withScoreHead(boolean on) {
        return new GptConfig(vocabSize, context, layers, heads, width, dropout, activation, layerNormEps, initStd, on, bias,
                on && mlpScoreHead);
    }

    /** This config with TrlX's MLP score head ({@code on}) or a linear one; a score head either way. */
    public GptConfig withMlpScoreHead(boolean on) {
        return new GptConfig(vocabSize, context, layers, heads, width, dropout, activation, layerNormEps, initStd, true, bias, on);
    }

    /** This config with another dropout (0 for inference-only copies, benches). */
    public GptConfig withDropout(double p) {
        return new GptConfig(vocabSize, context, layers, heads, width, p, activation, layerNormEps, initStd, scoreHead, bias,
                mlpScoreHead);
    }

    /** This config with or without biases. */
    public GptConfig withBias(boolean on) {
        return new GptConfig(vocabSize, context, layers, heads, width, dropout, activation, layerNormEps, initStd, scoreHead, on,
                mlpScoreHead);
    }

    /** Writes a Hugging Face GPT-2 {@code config.json}. */
    public void writeHf(Path file, int eosId) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.putArray("architectures").add(scoreHead ? "GPT2ForSequenceClassification" : "GPT2LMHeadModel");
        o.put("model_type", "gpt2");
        o.put("vocab_size", vocabSize);
        o.put("n_positions", context);
        o.put("n_ctx", context);
        o.put("n_embd", width);
        o.put("n_layer", layers);
        o.put("n_head", heads);
        o.putNull("n_inner");
        o.put("activation_function", activation);
        o.put("resid_pdrop", dropout);
        o.put("embd_pdrop", dropout);
        o.put("attn_pdrop", dropout);
        o.put("layer_norm_epsilon", layerNormEps);
        o.put("initializer_range", initStd);
        o.put("bos_token_id", eosId);
        o.put("eos_token_id", eosId);
        o.put("tie_word_embeddings", true);
        if (!bias) { // HF ignores this key and loads the zero biases; our import drops them again
            o.put("bias", false);
        }
        if (scoreHead) {
            o.put("num_labels", 1);
            o.put("pad_token_id", eosId);
        }
        o.put("torch_dtype", "float32");
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), o);
    }

    /** Reads a Hugging Face GPT-2 {@code config.json}, naming the file and key when something is off. */
    public static GptConfig readHf(Path file) throws IOException {
        JsonNode o = JSON.readTree(Files.readAllBytes(file));
        String type = o.path("model_type").asText("gpt2");
        if (!type.equals("gpt2")) {
            throw new IllegalArgumentException(file + ": model_type is '" + type + "', only gpt2 checkpoints can be imported");
        }
        if (!o.path("n_inner").isNull() && !o.path("n_inner").isMissingNode()
                && o.path("n_inner").asInt() != 4 * o.path("n_embd").asInt()) {
            throw new IllegalArgumentException(file + ": n_inner " + o.path("n_inner") + " is not 4 * n_embd");
        }
        String act = o.path("activation_function").asText("gelu_new");
        if (act.equals("gelu_pytorch_tanh")) {
            act = "gelu_new";
        }
        boolean score = o.path("architectures").toString().contains("ForSequenceClassification");
        try {
            return new GptConfig(required(o, "vocab_size", file), required(o, "n_positions", file),
                    required(o, "n_layer", file), required(o, "n_head", file), required(o, "n_embd", file),
                    o.path("resid_pdrop").asDouble(0.1), act, o.path("layer_norm_epsilon").asDouble(1e-5),
                    o.path("initializer_range").asDouble(0.02), score, o.path("bias").asBoolean(true));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static int required(JsonNode o, String key, Path file) {
        if (!o.hasNonNull(key)) {
            throw new IllegalArgumentException(file + ": key " + key + " is missing");
        }
        return o.get(key).asInt();
    }
}
