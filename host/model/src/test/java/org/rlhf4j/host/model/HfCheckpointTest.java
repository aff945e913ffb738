package org.rlhf4j.host.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.host.model.tokenizer.CharTokenizer;
import org.rlhf4j.host.model.tokenizer.SpecialTokens;
import org.rlhf4j.host.model.tokenizer.Tokenizer;

/** Checkpoints in Hugging Face GPT-2 layout: our own round trip, and an independent PyTorch reference. */
class HfCheckpointTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRoundTripKeepsEveryWeightBitForBitAndTheLogits(@TempDir Path dir) throws IOException {
        Tokenizer tok = CharTokenizer.of(List.of("abcdefgh"));
        GptConfig c = new GptConfig(tok.vocabSize(), 16, 2, 2, 8, 0.1, "gelu_new", 1e-5, 0.2, true);
        try (Gpt a = Gpt.initialised(c, Device.cpu(), 11)) {
            HfCheckpoint.save(a, tok, dir);
            try (HfCheckpoint.Loaded b = HfCheckpoint.load(dir, Device.cpu())) {
                assertEquals(a.config(), b.model().config());
                for (var e : a.parameters().entrySet()) {
                    assertArrayEquals(e.getValue().toFloatArray(), b.model().parameters().get(e.getKey()).toFloatArray(), 0f, e.getKey());
                }
                try (NDManager m = a.manager().newSubManager()) {
                    var x = m.create(new long[] {1, 2, 3, 4, 5}, new Shape(1, 5));
                    assertArrayEquals(a.logits(a.hidden(x, null, null, false)).toFloatArray(),
                            b.model().logits(b.model().hidden(x, null, null, false)).toFloatArray(), 0f);
                }
                assertArrayEquals(tok.encode("cafe"), b.tokenizer().encode("cafe"));
            }
        }
        assertTrue(Files.readString(dir.resolve("config.json")).contains("\"n_layer\" : 2"));
    }

    @Test
    void theImportMatchesAnIndependentPyTorchGpt2(@TempDir Path dir) throws IOException {
        // weights.json and logits.json come from make_fixture.py (a PyTorch GPT-2 after HF's modeling_gpt2.py)
        JsonNode weights = resource("weights.json");
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = weights.fields();
        while (it.hasNext()) {
            var e = it.next();
            long[] shape = JSON.convertValue(e.getValue().get("shape"), long[].class);
            float[] v = JSON.convertValue(e.getValue().get("values"), float[].class);
            tensors.put(e.getKey(), new SafeTensors.Tensor(v, shape));
        }
        SafeTensors.write(dir.resolve(HfCheckpoint.WEIGHTS), tensors);
        try (InputStream in = getClass().getResourceAsStream("/gpt2-reference/config.json")) {
            Files.copy(in, dir.resolve(HfCheckpoint.CONFIG));
        }
        int[] cps = new int[60];
        for (int i = 0; i < cps.length; i++) {
            cps[i] = 'A' + i;
        }
        new CharTokenizer(cps, SpecialTokens.startingAt(60)).save(dir.resolve(HfCheckpoint.TOKENIZER));

        JsonNode ref = resource("logits.json");
        long[] ids = JSON.convertValue(ref.get("input_ids").get(0), long[].class);
        long[] ids2 = JSON.convertValue(ref.get("input_ids").get(1), long[].class);
        float[] expected = JSON.convertValue(ref.get("logits"), float[].class);
        try (HfCheckpoint.Loaded loaded = HfCheckpoint.load(dir, Device.cpu());
             NDManager m = loaded.model().manager().newSubManager()) {
            assertEquals("gelu_new", loaded.model().config().activation());
            long[] both = new long[ids.length * 2];
            System.arraycopy(ids, 0, both, 0, ids.length);
            System.arraycopy(ids2, 0, both, ids.length, ids.length);
            var x = m.create(both, new Shape(2, ids.length));
            float[] got = loaded.model().logits(loaded.model().hidden(x, null, null, false)).toFloatArray();
            assertEquals(expected.length, got.length);
            float worst = 0;
            for (int i = 0; i < got.length; i++) {
                worst = Math.max(worst, Math.abs(got[i] - expected[i]));
            }
            assertTrue(worst <= 1e-5f, "largest difference from the PyTorch reference: " + worst);
        }
    }

    @Test
    void aMissingFileOrWeightIsNamed(@TempDir Path dir) throws IOException {
        var e = assertThrows(IOException.class, () -> HfCheckpoint.load(dir, Device.cpu()));
        assertTrue(e.getMessage().contains("config.json"), e.getMessage());
        Tokenizer tok = CharTokenizer.of(List.of("ab"));
        try (Gpt a = Gpt.initialised(new GptConfig(tok.vocabSize(), 8, 1, 1, 4, 0, "gelu", 1e-5, 0.02, false), Device.cpu(), 1)) {
            HfCheckpoint.save(a, tok, dir);
        }
        Map<String, SafeTensors.Tensor> stored = SafeTensors.read(dir.resolve(HfCheckpoint.WEIGHTS));
        stored.remove("transformer.h.0.mlp.c_fc.bias");
        SafeTensors.write(dir.resolve(HfCheckpoint.WEIGHTS), stored);
        e = assertThrows(IOException.class, () -> HfCheckpoint.load(dir, Device.cpu()));
        assertTrue(e.getMessage().contains("h.0.mlp.c_fc.bias"), e.getMessage());
    }

    private JsonNode resource(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/gpt2-reference/" + name)) {
            return JSON.readTree(in);
        }
    }
}
