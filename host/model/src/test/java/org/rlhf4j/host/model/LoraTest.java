package org.rlhf4j.host.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.host.model.tokenizer.CharTokenizer;
import org.rlhf4j.host.model.tokenizer.Tokenizer;
import org.rlhf4j.host.trainer.AdamW;
import org.rlhf4j.host.trainer.Batch;
import org.rlhf4j.host.trainer.ResumeCheckpoint;
import org.rlhf4j.host.trainer.TokenWindows;
import org.rlhf4j.host.trainer.TrainSettings;
import org.rlhf4j.host.trainer.Trainer;

/** LoRA adapters: a fresh one changes nothing, off is the base, only adapters train, merged exports and resumes. */
class LoraTest {

    static final String TEXT = "the cat sat on the mat and the dog ate the hat ".repeat(30);
    static final Tokenizer TOK = CharTokenizer.of(List.of(TEXT));
    static final GptConfig CONFIG = new GptConfig(TOK.vocabSize(), 16, 2, 2, 16, 0.0, "gelu", 1e-5, 0.2, true);
    static final Lora.Spec SPEC = Lora.Spec.allLayers(4, 8);
    static final long[] TOKENS = {1, 5, 2, 7, 3, 3, 9, 4};

    static float[] logits(Gpt model) {
        try (NDManager m = model.manager().newSubManager()) {
            NDArray x = m.create(TOKENS, new Shape(2, 4));
            return model.logits(model.hidden(x, null, null, false)).toFloatArray();
        }
    }

    static Map<String, float[]> snapshot(Map<String, NDArray> arrays) {
        Map<String, float[]> out = new LinkedHashMap<>();
        arrays.forEach((k, a) -> out.put(k, a.toFloatArray()));
        return out;
    }

    /** Gives every adapter's B random values, as training would, so that the adapters change the logits. */
    static void perturb(Gpt model) {
        SplittableRandom r = new SplittableRandom(3);
        model.lora().weights().forEach((k, a) -> {
            if (k.endsWith("lora_B.weight")) {
                float[] v = new float[Math.toIntExact(a.size())];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) r.nextGaussian() * 0.3f;
                }
                a.set(v);
            }
        });
    }

    @Test
    void aFreshAdapterLeavesTheLogitsUnchangedAndFreezesTheBase() {
        try (Gpt model = Gpt.initialised(CONFIG, Device.cpu(), 1)) {
            float[] before = logits(model);
            model.addAdapters(SPEC, 2);
            assertArrayEquals(before, logits(model), 0f, "B starts at zero: the adapted model is the base");
            // 2 blocks x 4 layers x (A, B), and the score head: what trains
            assertEquals(17, model.trainable().size());
            assertTrue(model.trainable().containsKey("h.1.mlp.c_proj.lora_A.weight") && model.trainable().containsKey("score.weight"));
            assertArrayEquals(new long[] {4, 16}, model.lora().weights().get("h.0.attn.c_attn.lora_A.weight").getShape().getShape());
            assertArrayEquals(new long[] {48, 4}, model.lora().weights().get("h.0.attn.c_attn.lora_B.weight").getShape().getShape());
            model.parameters().forEach((k, p) -> assertEquals(k.equals("score.weight"), p.hasGradient(), k + " frozen?"));
            assertThrows(IllegalStateException.class, () -> model.addAdapters(SPEC, 3));
        }
    }

    @Test
    void withAdaptersOffTheModelIsItsBase() {
        try (Gpt model = Gpt.initialised(CONFIG, Device.cpu(), 1)) {
            float[] base = logits(model);
            model.addAdapters(SPEC, 2);
            perturb(model);
            float[] adapted = logits(model);
            assertFalse(java.util.Arrays.equals(base, adapted), "trained adapters change the logits");
            Gpt off = model.withoutAdapters();
            assertArrayEquals(base, logits(off), 0f);
            assertTrue(off.trainable().isEmpty());
            off.close(); // a view: closing it frees nothing
            assertArrayEquals(adapted, logits(model), 0f);
        }
    }

    @Test
    void aTrainingStepMovesOnlyTheAdapters() throws Exception {
        TokenWindows[] d = TokenWindows.split(TOK.encode(TEXT), 0.1, 4, 16);
        List<Batch> val = List.of(d[1].next(new SplittableRandom(1)));
        try (Gpt model = Gpt.initialised(CONFIG.withScoreHead(false), Device.cpu(), 1)) {
            model.addAdapters(SPEC, 2);
            Map<String, float[]> base = snapshot(model.parameters());
            Map<String, float[]> adapters = snapshot(model.lora().weights());
            TrainSettings s = new TrainSettings(3, 4, 1, 1e-2, 1e-2, 0, new AdamW.Hyper(0.9, 0.99, 1e-8, 0.1), 1.0, 3, 1, 0);
            double before = Trainer.validationLoss(model, val);
            Trainer.Result r = new Trainer(model, s, "lora", (stage, step, values) -> { }, 4).fit(d[0], val, null, null);
            base.forEach((k, v) -> assertArrayEquals(v, model.parameters().get(k).toFloatArray(), 0f, k + " is frozen"));
            adapters.forEach((k, v) -> assertFalse(java.util.Arrays.equals(v, model.lora().weights().get(k).toFloatArray()), k + " trains"));
            assertTrue(r.validationLoss() < before, "the adapters lower the loss: " + before + " -> " + r.validationLoss());
        }
    }

    @Test
    void theMergedExportIsPlainGpt2WithTheAdaptedLogits(@TempDir Path dir) throws Exception {
        try (Gpt model = Gpt.initialised(CONFIG, Device.cpu(), 1)) {
            model.addAdapters(SPEC, 2);
            perturb(model);
            HfCheckpoint.save(model, TOK, dir);
            Map<String, SafeTensors.Tensor> stored = SafeTensors.read(dir.resolve(HfCheckpoint.WEIGHTS));
            assertTrue(stored.keySet().stream().noneMatch(k -> k.contains("lora")), stored.keySet().toString());
            assertEquals(Gpt.shapes(CONFIG).size(), stored.size());
            try (HfCheckpoint.Loaded loaded = HfCheckpoint.load(dir, Device.cpu())) {
                float[] want = logits(model);
                float[] got = logits(loaded.model());
                for (int i = 0; i < want.length; i++) {
                    assertEquals(want[i], got[i], 1e-5f, "logit " + i);
                }
                assertFalse(java.util.Arrays.equals(model.parameters().get("h.0.mlp.c_fc.weight").toFloatArray(),
                        loaded.model().parameters().get("h.0.mlp.c_fc.weight").toFloatArray()), "the adapter is merged in");
            }
        }
    }

    @Test
    void aResumeCheckpointCarriesTheAdaptersAndTheirMoments(@TempDir Path dir) throws Exception {
        AdamW.Hyper hyper = new AdamW.Hyper(0.9, 0.99, 1e-8, 0.0);
        Map<String, float[]> adapters;
        Map<String, float[]> moments;
        try (Gpt model = Gpt.initialised(CONFIG, Device.cpu(), 1);
             AdamW opt = new AdamW(trained(model), hyper, model.manager())) {
            perturb(model);
            opt.firstMoments().values().forEach(m -> {
                float[] v = new float[Math.toIntExact(m.size())];
                java.util.Arrays.fill(v, 0.25f);
                m.set(v);
            });
            ResumeCheckpoint.save(dir, model, opt, 7, 1);
            adapters = snapshot(model.trainable());
            moments = snapshot(opt.firstMoments());
        }
        Map<String, SafeTensors.Tensor> stored = SafeTensors.read(dir.resolve("latest/model.safetensors"));
        assertEquals(adapters.keySet(), stored.keySet(), "the trained weights only: the frozen base comes from the SFT model");
        try (Gpt model = Gpt.initialised(CONFIG, Device.cpu(), 1);
             AdamW opt = new AdamW(trained(model), hyper, model.manager())) {
            assertEquals(7, ResumeCheckpoint.restore(dir, model, opt));
            adapters.forEach((k, v) -> assertArrayEquals(v, model.trainable().get(k).toFloatArray(), 0f, k));
            moments.forEach((k, v) -> assertArrayEquals(v, opt.firstMoments().get(k).toFloatArray(), 0f, k));
        }
    }

    /** The model with adapters; its trainable weights, for an optimizer. */
    private static Map<String, NDArray> trained(Gpt model) {
        model.addAdapters(SPEC, 2);
        return model.trainable();
    }
}
