package org.rlhf4j.host.trainer;


import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.api.MetricsSink;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.model.Generator;
import org.rlhf4j.host.model.Gpt;
import org.rlhf4j.host.model.GptConfig;
import org.rlhf4j.host.model.tokenizer.CharTokenizer;
import org.rlhf4j.host.model.tokenizer.Tokenizer;

/** The training loop: it learns, stops on NaN, resumes exactly, and leaks no arrays. */
class TrainerTest {

    static final String TEXT = "to be or not to be that is the question whether tis nobler in the mind to suffer ".repeat(40);
    static final Tokenizer TOK = CharTokenizer.of(List.of(TEXT));
    static final GptConfig CONFIG = new GptConfig(TOK.vocabSize(), 16, 2, 2, 16, 0.0, "gelu", 1e-5, 0.02, false);

    static TrainSettings settings(int steps, int checkpointEvery) {
        return new TrainSettings(steps, 4, 2, 3e-3, 3e-4, 3, new AdamW.Hyper(0.9, 0.99, 1e-8, 0.1), 1.0, 5, 2,
                checkpointEvery);
    }

    static TokenWindows[] data() {
        return TokenWindows.split(TOK.encode(TEXT), 0.1, 4, 16);
    }

    static List<Batch> validation(TokenWindows val) {
        SplittableRandom r = new SplittableRandom(1);
        return List.of(val.next(r), val.next(r));
    }

    static final class Recorder implements MetricsSink {
        final List<Map<String, ?>> lines = new ArrayList<>();

        @Override
        public void log(String stage, long step, Map<String, ?> values) {
            lines.add(values);
        }
    }

    @Test
    void theLossFallsAndEveryStepIsLogged() throws Exception {
        TokenWindows[] d = data();
        Recorder metrics = new Recorder();
        try (Gpt gpt = Gpt.initialised(CONFIG, Device.cpu(), 1)) {
            double before = Trainer.validationLoss(gpt, validation(d[1]));
            Trainer.Result r = new Trainer(gpt, settings(30, 0), "pretrain", metrics, 5).fit(d[0], validation(d[1]), null, null);
            assertTrue(r.validationLoss() < before - 0.5, "validation loss " + before + " -> " + r.validationLoss());
        }
        assertEquals(30, metrics.lines.size());
        for (String key : List.of("loss", "lr", "grad-norm", "tokens-per-second")) {
            assertTrue(metrics.lines.get(0).containsKey(key), key);
        }
        assertTrue(metrics.lines.get(4).containsKey("val-loss"));
    }

    @Test
    void aNanLossStopsTheStageNamingStageAndStep() {
        TokenWindows[] d = data();
        try (Gpt gpt = Gpt.initialised(CONFIG, Device.cpu(), 1)) {
            float[] nan = new float[16];
            java.util.Arrays.fill(nan, Float.NaN);
            gpt.parameters().get("ln_f.weight").set(nan);
            StageFailure e = assertThrows(StageFailure.class,
                    () -> new Trainer(gpt, settings(10, 0), "sft", new Recorder(), 5).fit(d[0], validation(d[1]), null, null));
            assertTrue(e.getMessage().contains("stage sft") && e.getMessage().contains("NaN at step 1"), e.getMessage());
        }
    }

    @Test
    void aResumedRunEndsWhereAnUninterruptedOneEnds(@TempDir Path dir) throws Exception {
        TokenWindows[] d = data();
        float[] straight;
        try (Gpt gpt = Gpt.initialised(CONFIG, Device.cpu(), 1)) {
            new Trainer(gpt, settings(8, 0), "pretrain", new Recorder(), 5).fit(d[0], validation(d[1]), null, null);
            straight = gpt.parameters().get("h.1.mlp.c_fc.weight").toFloatArray();
        }
        // the first run is "killed" after step 4 (its checkpoint), a fresh model resumes from it
        try (Gpt gpt = Gpt.initialised(CONFIG, Device.cpu(), 1)) {
            new Trainer(gpt, settings(5, 4), "pretrain", new Recorder(), 5).fit(d[0], validation(d[1]), dir, null);
        }
        assertTrue(ResumeCheckpoint.exists(dir));
        Recorder resumed = new Recorder();
        try (Gpt gpt = Gpt.initialised(CONFIG, Device.cpu(), 99)) {
            new Trainer(gpt, settings(8, 4), "pretrain", resumed, 5).fit(d[0], validation(d[1]), dir, null);
            assertArrayEquals(straight, gpt.parameters().get("h.1.mlp.c_fc.weight").toFloatArray(), 1e-6f);
        }
        assertEquals(4, resumed.lines.size(), "only steps 5..8 run again");
    }

    @Test
    void trainingAndSamplingManyStepsLeaveTheArrayCountFlat() throws Exception {
        TokenWindows[] d = data();
        try (Gpt gpt = Gpt.initialised(CONFIG, Device.cpu(), 1)) {
            Generator g = new Generator(gpt, TOK, new Generator.Settings(8, 1.0, 5, 0.9, List.of("<|endoftext|>")));
            List<int[]> prompts = List.of(TOK.encode("to be"), TOK.encode("the"));
            new Trainer(gpt, settings(3, 0), "pretrain", new Recorder(), 1).fit(d[0], validation(d[1]), null, null);
            g.generate(prompts, 1, true);
            int before = live(gpt);
            int system = live(gpt.manager().getParentManager());
            new Trainer(gpt, settings(40, 0), "pretrain", new Recorder(), 2).fit(d[0], validation(d[1]), null, null);
            for (int i = 0; i < 10; i++) {
                g.generate(prompts, i, true);
                g.generate(prompts, i, false);
            }
            assertEquals(before, live(gpt), "arrays in the model's manager");
            assertEquals(system, live(gpt.manager().getParentManager()), "arrays anywhere");
        }
    }

    static int live(Gpt gpt) {
        return live(gpt.manager());
    }

    static int live(NDManager m) {
        return ((BaseNDManager) m).getManagedArrays().size();
    }

    @Test
    void theScheduleWarmsUpThenFollowsACosineToTheFloor() {
        TrainSettings s = new TrainSettings(2000, 12, 1, 1e-3, 1e-4, 100, new AdamW.Hyper(0.9, 0.99, 1e-8, 0.1), 1, 1, 1, 0);
        assertEquals(1e-3 / 101, s.learningRate(0), 1e-12);
        assertEquals(1e-3 * 100 / 101, s.learningRate(99), 1e-12);
        assertEquals(1e-3, s.learningRate(100), 1e-12);
        assertEquals(5.5e-4, s.learningRate(100 + 1899 / 2) , 1e-6);
        assertEquals(1e-4, s.learningRate(1999), 1e-12);
    }
}
