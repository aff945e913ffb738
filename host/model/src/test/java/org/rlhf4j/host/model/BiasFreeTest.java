package org.rlhf4j.host.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.host.trainer.AdamW;
import org.rlhf4j.host.trainer.Batch;
import org.rlhf4j.host.trainer.TokenWindows;
import org.rlhf4j.host.trainer.TrainSettings;
import org.rlhf4j.host.trainer.Trainer;

/** model.bias = false (nanoGPT's default): no Linear or LayerNorm biases; it trains, round-trips, exports zeros. */
class BiasFreeTest {

    static final GptConfig CONFIG = LoraTest.CONFIG.withBias(false);

    @Test
    void aBiasFreeModelHasNoBiasesAndTrains() throws Exception {
        assertTrue(Gpt.shapes(CONFIG).keySet().stream().noneMatch(k -> k.endsWith(".bias")));
        assertEquals(2 * 6 + 1, Gpt.shapes(LoraTest.CONFIG).size() - Gpt.shapes(CONFIG).size(), "6 biases per block and ln_f's");
        TokenWindows[] d = TokenWindows.split(LoraTest.TOK.encode(LoraTest.TEXT), 0.1, 4, 16);
        List<Batch> val = List.of(d[1].next(new SplittableRandom(1)), d[1].next(new SplittableRandom(2)));
        try (Gpt model = Gpt.initialised(CONFIG.withScoreHead(false), Device.cpu(), 1)) {
            double before = Trainer.validationLoss(model, val);
            TrainSettings s = new TrainSettings(30, 4, 1, 3e-3, 3e-4, 3, new AdamW.Hyper(0.9, 0.99, 1e-8, 0.1), 1.0, 30, 2, 0);
            Trainer.Result r = new Trainer(model, s, "pretrain", (stage, step, values) -> { }, 5).fit(d[0], val, null, null);
            assertTrue(r.validationLoss() < before - 0.5, "validation loss " + before + " -> " + r.validationLoss());
        }
    }

    @Test
    void aCheckpointRoundTripsAndHoldsZeroBiasesForHuggingFace(@TempDir Path dir) throws IOException {
        try (Gpt a = Gpt.initialised(CONFIG, Device.cpu(), 11)) {
            HfCheckpoint.save(a, LoraTest.TOK, dir);
            Map<String, SafeTensors.Tensor> stored = SafeTensors.read(dir.resolve(HfCheckpoint.WEIGHTS));
            SafeTensors.Tensor fc = stored.get("transformer.h.1.mlp.c_fc.bias");
            assertArrayEquals(new long[] {64}, fc.shape(), "HF GPT-2 always has biases");
            long biases = stored.entrySet().stream().filter(e -> e.getKey().endsWith(".bias")).peek(e -> {
                for (float v : e.getValue().values()) {
                    assertEquals(0f, v, 0f, e.getKey());
                }
            }).count();
            assertEquals(13, biases);
            assertTrue(Files.readString(dir.resolve(HfCheckpoint.CONFIG)).contains("\"bias\" : false"));
            try (HfCheckpoint.Loaded b = HfCheckpoint.load(dir, Device.cpu()); NDManager m = a.manager().newSubManager()) {
                assertEquals(a.config(), b.model().config());
                assertEquals(a.parameters().keySet(), b.model().parameters().keySet());
                for (var e : a.parameters().entrySet()) {
                    assertArrayEquals(e.getValue().toFloatArray(), b.model().parameters().get(e.getKey()).toFloatArray(), 0f, e.getKey());
                }
                var x = m.create(new long[] {1, 2, 3, 4, 5}, new Shape(1, 5));
                assertArrayEquals(a.logits(a.hidden(x, null, null, false)).toFloatArray(),
                        b.model().logits(b.model().hidden(x, null, null, false)).toFloatArray(), 0f);
            }
        }
    }

    @Test
    void aNonZeroBiasUnderBiasFalseIsNamed(@TempDir Path dir) throws IOException {
        try (Gpt a = Gpt.initialised(CONFIG, Device.cpu(), 11)) {
            HfCheckpoint.save(a, LoraTest.TOK, dir);
        }
        Map<String, SafeTensors.Tensor> stored = SafeTensors.read(dir.resolve(HfCheckpoint.WEIGHTS));
        stored.get("transformer.h.0.ln_2.bias").values()[3] = 0.5f;
        SafeTensors.write(dir.resolve(HfCheckpoint.WEIGHTS), stored);
        var e = assertThrows(IOException.class, () -> HfCheckpoint.load(dir, Device.cpu()));
        assertTrue(e.getMessage().contains("h.0.ln_2.bias") && e.getMessage().contains("\"bias\": false"), e.getMessage());
        // without the key, as any HF GPT-2 checkpoint, the biases are kept
        Files.writeString(dir.resolve(HfCheckpoint.CONFIG), Files.readString(dir.resolve(HfCheckpoint.CONFIG)).replace("\"bias\" : false,", ""));
        try (HfCheckpoint.Loaded b = HfCheckpoint.load(dir, Device.cpu())) {
            assertTrue(b.model().config().bias());
            assertEquals(0.5f, b.model().parameters().get("h.0.ln_2.bias").toFloatArray()[3], 0f);
        }
    }
}
