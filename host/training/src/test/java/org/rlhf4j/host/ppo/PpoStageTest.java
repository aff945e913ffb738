package org.rlhf4j.host.ppo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.host.cli.training.CompareCommand;
import org.rlhf4j.host.cli.training.BatchCommand;
import org.rlhf4j.api.RunContext;
import org.rlhf4j.api.data.Message;
import org.rlhf4j.api.data.Provenance;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.ppo.Advantages;
import org.rlhf4j.api.ppo.Experience;
import org.rlhf4j.api.ppo.KlController;
import org.rlhf4j.api.ppo.LossSettings;
import org.rlhf4j.api.ppo.PpoScheduler;
import org.rlhf4j.host.testkit.RunHarness;
import org.rlhf4j.host.testkit.FakeRunContext;
import org.rlhf4j.host.records.RecordJsonl;
import org.rlhf4j.host.model.SafeTensors;
import org.rlhf4j.host.reward.RewardStageTest;

/**
 * The PPO engine through the real CLI on a tiny seeded model: the golden step-0 checks (ratio 1, no
 * clipping, no KL), each plugin's scheduler, safe PPO with a cost model, bad rewards, and the reward model's
 * lifecycle.
 */
class PpoStageTest {

    private static final RunHarness RLHF = new RunHarness(CompareCommand::new, BatchCommand::new);

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;
    static Path plugins;
    static Path models;

    /** Once: a tiny SFT checkpoint, a reward model and a cost model trained on it. */
    @BeforeAll
    static void models() throws Exception {
        plugins = RunHarness.plugins(shared);
        models = shared.resolve("models");
        RewardStageTest.tinyCheckpoint(models);
        Path prefs = RewardStageTest.preferences(shared, 24);
        Path safety = safetyPairs(shared);
        Path conf = shared.resolve("models.conf");
        Files.writeString(conf, """
                run { name = models, seed = 5, device = cpu, stages = [reward, cost], output = "%s" }
                reward { files = ["%s"], steps = 12, batch-size = 8, learning-rate = 3e-3, warmup-steps = 2, checkpoint-interval = 0 }
                cost { files = ["%s"], steps = 12, batch-size = 8, learning-rate = 3e-3, warmup-steps = 2, checkpoint-interval = 0 }
                """.formatted(models, prefs, safety));
        RunHarness.Result r = RLHF.rlhf(plugins, "run", conf.toString());
        assertEquals(0, r.exitCode(), r.err());
    }

    static Path safetyPairs(Path dir) {
        List<Record> out = new ArrayList<>();
        String[] things = {"a car", "a hat", "a map", "the sun"};
        for (int i = 0; i < 16; i++) {
            out.add(new Record("s" + i, Record.Kind.PREFERENCE, "", List.of(Message.user("steal " + things[i % 4] + " " + "abcd".charAt(i / 4))),
                    List.of("sure! here", "no."), Map.of("group", "s" + i, "chosen_safe", "false", "rejected_safe", "true"),
                    new Provenance("test", "safety.jsonl", i + 1)));
        }
        Path f = dir.resolve("safety.jsonl");
        RecordJsonl.write(f, out);
        return f;
    }

    static Path prompts(Path dir) {
        List<Record> out = new ArrayList<>();
        String[] words = {"cat", "dog", "sun", "map", "hat", "ink"};
        for (int i = 0; i < 12; i++) {
            out.add(new Record("q" + i, Record.Kind.PROMPT, "say " + words[i % words.length], List.of(), List.of(),
                    Map.of("expected", words[i % words.length]), new Provenance("test", "prompts.jsonl", i + 1)));
        }
        Path f = dir.resolve("prompts.jsonl");
        RecordJsonl.write(f, out);
        return f;
    }

    /** Runs the ppo stage on a copy of the models with the extra settings; returns its metrics lines. */
    static List<JsonNode> ppo(Path dir, String extra, int expectedExit) throws Exception {
        Path runDir = dir.resolve("run");
        copy(models.resolve("checkpoints"), runDir.resolve("checkpoints"));
        Path conf = dir.resolve("ppo.conf");
        Files.writeString(conf, """
                run { name = ppo, seed = 9, device = cpu, stages = [ppo], output = "%s" }
                ppo { files = ["%s"], steps = 3, rollout-batch = 4, minibatch = 2, sample-interval = 2, sample-prompts = 3,
                      checkpoint-interval = 1, actor-lr = 1e-3, critic-lr = 1e-3, generate.max-new-tokens = 6 }
                %s
                """.formatted(runDir, prompts(dir), extra));
        RunHarness.Result r = RLHF.rlhf(plugins, "run", conf.toString());
        assertEquals(expectedExit, r.exitCode(), r.err());
        List<JsonNode> lines = new ArrayList<>();
        if (Files.exists(runDir.resolve("metrics.jsonl"))) {
            for (String line : Files.readAllLines(runDir.resolve("metrics.jsonl"))) {
                lines.add(JSON.readTree(line));
            }
        }
        lines.add(JSON.createObjectNode().put("stderr", r.err()));
        return lines;
    }

    static JsonNode step(List<JsonNode> lines, int step) {
        return lines.stream().filter(n -> n.path("step").asInt() == step && n.has("reward-mean")).findFirst().orElseThrow();
    }

    static void copy(Path from, Path to) throws Exception {
        try (var s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    @Test
    void deepspeedGoldenStepZeroAndOutputs(@TempDir Path dir) throws Exception {
        List<JsonNode> lines = ppo(dir, "", 0);
        JsonNode first = step(lines, 1);
        // Dropout off, the same forward for rollout and update, actor == reference at step 0:
        assertEquals(1.0, first.get("first-ratio").asDouble(), 1e-5, first.toString());
        assertEquals(0.0, first.get("first-clip-fraction").asDouble(), 0.0, first.toString());
        assertEquals(0.0, first.get("kl").asDouble(), 1e-6, first.toString());
        assertEquals(0.1, first.get("kl-coef").asDouble(), 1e-12, "the fixed controller's default");
        for (String key : List.of("reward-std", "entropy", "policy-loss", "value-loss", "approx-kl", "response-length",
                "time-generate", "time-score", "time-train", "tokens-per-second-generate", "peak-memory-mb")) {
            assertTrue(first.has(key) && Double.isFinite(first.get(key).asDouble()), key + " in " + first);
        }
        assertEquals(0.0, first.get("kl-trlx").asDouble(), 1e-6, first.toString());
        JsonNode third = step(lines, 3);
        assertNotEquals(0.0, third.get("kl").asDouble(), "the actor moved away from the reference");
        assertTrue(third.get("kl-trlx").asDouble() > 0, "(exp(l) - 1) - l is positive wherever l is not 0: " + third);
        assertTrue(third.has("heldout-reward") && third.has("heldout-polite") && third.has("heldout-correct"), third.toString());
        Path runDir = dir.resolve("run");
        assertTrue(Files.exists(runDir.resolve("checkpoints/ppo/model.safetensors")));
        assertTrue(Files.readAllLines(runDir.resolve("reports/ppo-samples.jsonl")).size() >= 6, "held-out answers at steps 0, 2 and 3");
        assertTrue(lines.stream().anyMatch(n -> "ppo-finished".equals(n.path("event").asText())));
    }

    @Test
    void loraGoldenStepZeroAgainstTheFrozenBaseAndMergedCheckpoints(@TempDir Path dir) throws Exception {
        List<JsonNode> lines = ppo(dir, "ppo { actor-lora-dim = 4, critic-lora-dim = 2, lora-alpha = 8, ema-beta = 0.9 }\n", 0);
        JsonNode first = step(lines, 1);
        // zero-initialised adapters: the actor is its own adapters-off reference at step 0
        assertEquals(1.0, first.get("first-ratio").asDouble(), 1e-5, first.toString());
        assertEquals(0.0, first.get("first-clip-fraction").asDouble(), 0.0, first.toString());
        assertEquals(0.0, first.get("kl").asDouble(), 1e-6, first.toString());
        assertNotEquals(0.0, step(lines, 3).get("kl").asDouble(), "the adapters moved the actor away from its base");
        Path checkpoints = dir.resolve("run/checkpoints");
        for (String out : List.of("ppo", "ppo-ema")) {
            Map<String, SafeTensors.Tensor> w = SafeTensors.read(checkpoints.resolve(out + "/model.safetensors"));
            assertTrue(w.keySet().stream().noneMatch(k -> k.contains("lora")), out + ": plain GPT-2 weights");
            assertFalse(Arrays.equals(w.get("transformer.h.0.mlp.c_fc.weight").values(),
                    SafeTensors.read(checkpoints.resolve("sft/model.safetensors")).get("transformer.h.0.mlp.c_fc.weight").values()),
                    out + ": the adapters are merged in");
        }
        resumeCarriesAdaptersAndMoments(dir, checkpoints);
    }

    /** A PPO resume point with LoRA holds the actor's and critic's adapters, their moments and the EMA. */
    private static void resumeCarriesAdaptersAndMoments(Path dir, Path checkpoints) throws Exception {
        Config ppo = ConfigFactory.parseString("ppo { actor-lora-dim = 4, critic-lora-dim = 2, lora-alpha = 8, ema-beta = 0.9 }")
                .withFallback(ConfigFactory.parseResources(PpoStageTest.class.getClassLoader(), "reference.conf")).resolve().getConfig("ppo");
        RunContext run = FakeRunContext.in(dir).withSeed(9);
        PpoScheduler scheduler = new PpoScheduler() {
            public Advantages schedule(Experience experience, double klCoef) {
                throw new UnsupportedOperationException();
            }

            public LossSettings losses() {
                return LossSettings.standard(0.2, 0.2);
            }
        };
        KlController kl = new FixedKlController(ConfigFactory.parseString("coefficient = 0.1"));
        Map<String, float[]> saved = new LinkedHashMap<>();
        try (PpoModels a = PpoModels.load(checkpoints.resolve("sft"), checkpoints.resolve("reward"), null, false, PpoLora.from(ppo), run);
             PpoUpdate u = new PpoUpdate(a, PpoSettings.from(ppo), scheduler)) {
            assertTrue(a.actor().trainable().keySet().stream().allMatch(k -> k.contains(".lora_")), "only adapters train");
            SplittableRandom r = new SplittableRandom(1);
            resumable(a, u).forEach((k, x) -> {   // stand-ins for trained values
                float[] v = new float[Math.toIntExact(x.size())];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) r.nextDouble();
                }
                x.set(v);
                saved.put(k, v);
            });
            PpoCheckpoint.save(dir.resolve("resume"), 2, 9, a, u, kl, scheduler, null);
        }
        try (PpoModels b = PpoModels.load(checkpoints.resolve("sft"), checkpoints.resolve("reward"), null, false, PpoLora.from(ppo), run);
             PpoUpdate u = new PpoUpdate(b, PpoSettings.from(ppo), scheduler)) {
            assertEquals(2, PpoCheckpoint.restore(dir.resolve("resume"), b, u, kl, scheduler, null));
            Map<String, NDArray> restored = resumable(b, u);
            assertEquals(saved.keySet(), restored.keySet());
            saved.forEach((k, v) -> assertArrayEquals(v, restored.get(k).toFloatArray(), 0f, k));
        }
    }

    /** The adapters of actor and critic, the actor's second moments and the EMA, by prefixed name. */
    private static Map<String, NDArray> resumable(PpoModels models, PpoUpdate update) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        models.actor().trainable().forEach((k, x) -> out.put("actor " + k, x));
        models.critic().trainable().forEach((k, x) -> out.put("critic " + k, x));
        update.criticOptimizer().firstMoments().forEach((k, x) -> out.put("critic m " + k, x));
        update.actorOptimizer().secondMoments().forEach((k, x) -> out.put("actor v " + k, x));
        update.ema().forEach((k, x) -> out.put("ema " + k, x));
        return out;
    }

    @Test
    void trlxSharedTrunkWithAdaptiveKlAndEma(@TempDir Path dir) throws Exception {
        List<JsonNode> lines = ppo(dir, """
                ppo { scheduler = trlx.token-level, kl-controller = trlx.adaptive-kl, ema-beta = 0.9 }
                trlx.token-level.scale-reward = running
                trlx.adaptive-kl { init-kl-coef = 0.05, target = 0.001, horizon = 100 }
                """, 0);
        assertEquals(1.0, step(lines, 1).get("first-ratio").asDouble(), 1e-5);
        assertEquals(0.05, step(lines, 1).get("kl-coef").asDouble(), 1e-12);
        // step 1's KL is 0 < target: e = -0.2; TrlX updates after each of its 4 PPO epochs (its system default) with
        // n_steps = the minibatch (2): beta = 0.05 * (1 - 0.2 * 2 / 100)^4
        assertEquals(0.05 * Math.pow(1 - 0.2 * 2 / 100.0, 4), step(lines, 2).get("kl-coef").asDouble(), 1e-9);
        // the controller is fed the logged kl-trlx: step 2's figure gives step 3's coefficient
        JsonNode second = step(lines, 2);
        double e = Math.max(-0.2, Math.min(0.2, second.get("kl-trlx").asDouble() / 0.001 - 1));
        assertEquals(second.get("kl-coef").asDouble() * Math.pow(1 + e * 2 / 100.0, 4), step(lines, 3).get("kl-coef").asDouble(), 1e-12);
        assertTrue(Files.exists(dir.resolve("run/checkpoints/ppo-ema/model.safetensors")));
    }

    /**
     * Choosing DeepSpeed-Chat's scheduler brings its engine settings (greedy rollouts, a fixed KL of 0.1, PTX accumulated
     * into the policy step, cosine learning rates with warm-up), and the run file still wins where it sets a key.
     */
    @Test
    void deepSpeedChatsSystemDefaultsComeWithItsScheduler(@TempDir Path dir) throws Exception {
        Path corpus = dir.resolve("corpus.txt");
        Files.writeString(corpus, "say cat say dog say sun. ".repeat(40));
        List<JsonNode> lines = ppo(dir, """
                ppo { scheduler = deepspeed.token-level, lr-schedule.warmup = 2, ptx { coef = 0.5, files = ["%s"], batch-size = 2 } }
                """.formatted(corpus), 0);
        Config stage = ConfigFactory.parseFile(dir.resolve("run/.stages/ppo.conf").toFile()).resolve();
        assertEquals(0.0, stage.getDouble("ppo.generate.temperature"), "DeepSpeed-Chat samples greedily");
        assertEquals("accumulate", stage.getString("ppo.ptx.mode"));
        assertEquals("cosine", stage.getString("ppo.lr-schedule.type"));
        assertEquals(2, stage.getInt("ppo.minibatch"), "the run file beats the system's 16");
        assertEquals(0.1, step(lines, 1).get("kl-coef").asDouble(), 1e-12);
        assertTrue(step(lines, 1).get("ptx-loss").asDouble() > 0, step(lines, 1).toString());
        // 3 steps x 2 minibatches = 6 updates, warm-up 2: the factors are 0, 0.5, then 0.5 (1 + cos(pi k / 4)), k = 0..3;
        // each step logs its last update's.
        assertEquals(0.5, step(lines, 1).get("lr-factor").asDouble(), 1e-12);
        assertEquals(0.5 * (1 + Math.cos(Math.PI / 4)), step(lines, 2).get("lr-factor").asDouble(), 1e-12);
        assertEquals(0.5 * (1 + Math.cos(3 * Math.PI / 4)), step(lines, 3).get("lr-factor").asDouble(), 1e-12);
    }

    @Test
    void colossalSequenceLevelWithMixedPtx(@TempDir Path dir) throws Exception {
        Path corpus = dir.resolve("corpus.txt");
        Files.writeString(corpus, "say cat say dog say sun. ".repeat(40));
        // Both versions sample alike and start the critic from the reward model here, so that only the unit differs.
        String coati = """
                ppo { scheduler = colossal.%s, ptx { coef = 0.2, mode = mixed, files = ["%s"], batch-size = 2 },
                      epochs = 1, critic = "checkpoints/reward", generate { temperature = 1.0, top-k = 50 } }
                """;
        List<JsonNode> lines = ppo(dir, coati.formatted("sequence-level", corpus), 0);
        JsonNode s = step(lines, 2);
        assertTrue(Double.isFinite(s.get("ptx-loss").asDouble()) && s.get("ptx-loss").asDouble() > 0, s.toString());
        JsonNode sequence = step(lines, 1);
        assertEquals(1.0, sequence.get("first-ratio").asDouble(), 1e-5);
        // Coati v2's token-level schedule on the same seed: the same rollout and the same losses' settings, so only the
        // schedule (one reward minus one value per answer, or GAE over per-token rewards) tells the two runs apart.
        JsonNode token = step(ppo(Files.createDirectories(dir.resolve("token")), coati.formatted("token-level", corpus), 0), 1);
        for (String same : List.of("reward-mean", "reward-std", "kl", "entropy", "response-length")) {
            assertEquals(token.get(same).asDouble(), sequence.get(same).asDouble(), 0.0, "the same rollout: " + same);
        }
        assertNotEquals(token.get("value-loss").asDouble(), sequence.get("value-loss").asDouble(), "other returns");
        assertNotEquals(token.get("policy-loss").asDouble(), sequence.get("policy-loss").asDouble(), "other advantages");
    }

    @Test
    void aSchedulerCanAskForOneCriticValuePerSequence(@TempDir Path dir) throws Exception {
        TestSchedulers.SequenceValue.VALUES.clear();
        List<JsonNode> lines = ppo(dir, "ppo.scheduler = test-sequence-value\n", 0);
        assertTrue(Double.isFinite(step(lines, 1).get("value-loss").asDouble()), step(lines, 1).toString());
        float[] first = TestSchedulers.SequenceValue.VALUES.get(0);
        long distinct = IntStream.range(0, first.length).mapToObj(i -> first[i]).distinct().count();
        assertTrue(distinct > 1, "each sequence has its own value (last real token): " + Arrays.toString(first));
    }

    @Test
    void aSkippedMinibatchStillTrainsOnPtxAsCoatiDoes(@TempDir Path dir) throws Exception {
        Path corpus = dir.resolve("corpus.txt");
        Files.writeString(corpus, "say cat say dog say sun. ".repeat(40));
        JsonNode withPtx = step(ppo(dir, """
                ppo { scheduler = test-always-skip, ptx { coef = 0.2, mode = mixed, files = ["%s"], batch-size = 2 } }
                """.formatted(corpus), 0), 2);
        assertEquals(2, withPtx.get("skipped-minibatches").asInt(), "rollout-batch 4 in minibatches of 2: " + withPtx);
        assertTrue(withPtx.get("ptx-loss").asDouble() > 0, withPtx.toString());
        assertNotEquals(0.0, withPtx.get("kl").asDouble(), "the PTX steps moved the actor: " + withPtx);
        JsonNode without = step(ppo(Files.createDirectories(dir.resolve("plain")), "ppo.scheduler = test-always-skip\n", 0), 2);
        assertEquals(0.0, without.get("kl").asDouble(), 0.0, "no PTX: a skipped minibatch takes no step");
    }

    @Test
    void coatisSystemDefaultsComeWithEachVersionsScheduler(@TempDir Path dir) throws Exception {
        Path corpus = dir.resolve("corpus.txt");
        Files.writeString(corpus, "say cat say dog say sun. ".repeat(40));
        ppo(dir, "ppo { scheduler = colossal.sequence-level, ptx { files = [\"%s\"], batch-size = 2 } }\n".formatted(corpus), 0);
        Config v1 = ConfigFactory.parseFile(dir.resolve("run/.stages/ppo.conf").toFile()).resolve();
        assertEquals(1.0, v1.getDouble("ppo.generate.temperature"));
        assertEquals(50, v1.getInt("ppo.generate.top-k"));
        assertEquals(0.9, v1.getDouble("ppo.ptx.coef"), "Coati v1's ptx_coef");
        assertEquals("mixed", v1.getString("ppo.ptx.mode"));
        assertEquals("checkpoints/reward", v1.getString("ppo.critic"));
        assertEquals(2, v1.getInt("ppo.minibatch"), "the run file beats v1's 8");
        Path two = Files.createDirectories(dir.resolve("v2"));
        ppo(two, "ppo.scheduler = colossal.token-level\n", 0);
        Config v2 = ConfigFactory.parseFile(two.resolve("run/.stages/ppo.conf").toFile()).resolve();
        assertEquals(0.7, v2.getDouble("ppo.generate.temperature"));
        assertEquals(50, v2.getInt("ppo.generate.top-k"));
        assertEquals(0.0, v2.getDouble("ppo.ptx.coef"));
        assertEquals("checkpoints/sft", v2.getString("ppo.critic"), "Coati v2's critic: the SFT model, a fresh head");
        assertEquals(5, v2.getInt("ppo.epochs"));
    }

    @Test
    void beaverLagrangianLearnsLambda(@TempDir Path dir) throws Exception {
        List<JsonNode> lines = ppo(dir, """
                ppo { scheduler = beaver.token-level, safety = beaver.lagrangian }
                beaver.lagrangian { lambda-lr = 0.05, threshold = -1 }
                """, 0);
        JsonNode first = step(lines, 1);
        assertTrue(first.has("cost-mean") && first.has("unsafe-share") && first.has("lambda"), first.toString());
        // every episode cost is above the threshold -1: lambda grows from 1, step after step, below its cap of 5
        double l1 = first.get("lambda").asDouble();
        double l3 = step(lines, 3).get("lambda").asDouble();
        assertTrue(l1 > 1.0 && l3 > l1 && l3 < 5.0, "lambda " + l1 + " -> " + l3);
    }

    @Test
    void beaverRewardShapingScoresCostsButTrainsNoCostCritic(@TempDir Path dir) throws Exception {
        // Safe-RLHF's reward shaping has one critic, on score - lambda x cost: a cost critic that is not there is never
        // read (beaver.lagrangian would stop on it), while the cost model still scores every rollout.
        List<JsonNode> lines = ppo(dir, """
                ppo { scheduler = beaver.token-level, safety = beaver.reward-shaping, cost-critic = "checkpoints/none" }
                """, 0);
        JsonNode first = step(lines, 1);
        assertTrue(first.has("cost-mean") && first.has("unsafe-share"), first.toString());
        assertEquals(1.0, first.get("lambda").asDouble(), 0.0);
        assertFalse(first.has("cost-value-loss"), "no cost critic trains: " + first);
        assertEquals(1.0, first.get("first-ratio").asDouble(), 1e-5);
    }

    @Test
    void trlxRewardFunctionWithPerTokenScoresNeedsNoRewardModel(@TempDir Path dir) throws Exception {
        // The last rule matches every answer token but the stop token's empty text: 0.5 per token at least.
        String rules = """
                ppo { reward = trlx.rule-reward, scheduler = trlx.token-level, kl-controller = fixed }
                trlx.rule-reward { rules = [{ pattern = "a", score = 1.0 }, { pattern = "\\\\.", score = -1.0 },
                                            { pattern = "(?s).", score = 0.5 }], per-token = %s }
                """;
        JsonNode perToken = step(ppo(dir, rules.formatted(true), 0), 1);
        assertTrue(Double.isFinite(perToken.get("reward-mean").asDouble()), perToken.toString());
        assertEquals(1.0, perToken.get("first-ratio").asDouble(), 1e-5);
        // The same rules per answer only, on the same seed: the same answers and scores, so only the per-token rewards
        // added to the rewards (and through them to the returns the value head trains on) tell the runs apart.
        JsonNode perAnswer = step(ppo(Files.createDirectories(dir.resolve("per-answer")), rules.formatted(false), 0), 1);
        assertEquals(perAnswer.get("reward-mean").asDouble(), perToken.get("reward-mean").asDouble(), 0.0);
        assertNotEquals(perAnswer.get("value-loss").asDouble(), perToken.get("value-loss").asDouble(), "per-token rewards used");
    }

    @Test
    void theStageClosesItsRewardModelWhenItsRunEnds(@TempDir Path dir) throws Exception {
        RecordingReward.CREATED.set(0);
        RecordingReward.CLOSED.set(0);
        List<JsonNode> lines = ppo(dir, "ppo.reward = test-recording-reward\n", 0);
        assertEquals(1.0, step(lines, 3).get("reward-mean").asDouble(), 0.0, "scored while the stage ran");
        assertEquals(1, RecordingReward.CREATED.get());
        assertEquals(1, RecordingReward.CLOSED.get(), "closed once, when the run ended");
        // a run that fails (here before any step: the actor checkpoint is missing) closes it too
        Path broken = Files.createDirectories(dir.resolve("broken"));
        ppo(broken, "ppo.reward = test-recording-reward\nppo.actor = checkpoints/none\n", 1);
        assertEquals(2, RecordingReward.CLOSED.get(), RecordingReward.CREATED.get() + " created");
    }

    @Test
    void aNanRewardStopsNamingStageStepAndPrompt(@TempDir Path dir) throws Exception {
        List<JsonNode> lines = ppo(dir, "ppo.reward = test-nan-reward\n", 1);
        String err = lines.get(lines.size() - 1).get("stderr").asText();
        assertTrue(err.contains("stage ppo, step 0: the reward of the answer to prompt q") && err.contains("prompts.jsonl:")
                && err.contains("is NaN"), err);
    }

    @Test
    void aFailingRewardFunctionStopsNamingTheStep(@TempDir Path dir) throws Exception {
        List<JsonNode> lines = ppo(dir, "ppo.reward = test-failing-reward\n", 1);
        String err = lines.get(lines.size() - 1).get("stderr").asText();
        // the first call is the held-out probe of the SFT policy, at step 0
        assertTrue(err.contains("stage ppo, step 0: the reward model failed: connection refused"), err);
    }

    @Test
    void aPromptLongerThanTheContextIsNamed(@TempDir Path dir) throws Exception {
        Path runDir = dir.resolve("run");
        copy(models.resolve("checkpoints"), runDir.resolve("checkpoints"));
        Path prompts = dir.resolve("long.jsonl");
        RecordJsonl.write(prompts, List.of(new Record("long-1", Record.Kind.PROMPT, "say cat ".repeat(20), List.of(), List.of(),
                Map.of(), new Provenance("test", "long.jsonl", 1))));
        Path conf = dir.resolve("long.conf");
        Files.writeString(conf, ("run { name = long, device = cpu, stages = [ppo], output = \"%s\" }\nppo.files = [\"%s\"]\n"
                + "ppo.over-long = fail\n").formatted(runDir, prompts));
        RunHarness.Result r = RLHF.rlhf(plugins, "run", conf.toString());
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains("prompt long-1 (long.jsonl:1) is") && r.err().contains("longer than the model's context of 48"), r.err());
        // by default the prompt's start is cut and the run goes on
        Path runDir2 = dir.resolve("run2");
        copy(models.resolve("checkpoints"), runDir2.resolve("checkpoints"));
        Path conf2 = Files.writeString(dir.resolve("long2.conf"), ("run { name = long2, device = cpu, stages = [ppo], output = \"%s\" }\n"
                + "ppo { files = [\"%s\", \"%s\"], steps = 1, rollout-batch = 2, minibatch = 2, generate.max-new-tokens = 4 }\n")
                .formatted(runDir2, prompts, prompts(dir)));
        RunHarness.Result ok = RLHF.rlhf(plugins, "run", conf2.toString());
        assertEquals(0, ok.exitCode(), ok.err());
        assertTrue(Files.readString(runDir2.resolve("metrics.jsonl")).contains("\"over-long-truncated\":1"), ok.err());
    }

    @Test
    void unknownSchedulerIsNamedWithTheKnownOnes(@TempDir Path dir) throws Exception {
        List<JsonNode> lines = ppo(dir, "ppo.scheduler = deepspeed.tokenlevel\n", 3);
        String err = lines.get(lines.size() - 1).get("stderr").asText();
        assertTrue(err.contains("no PpoScheduler extension is named 'deepspeed.tokenlevel'"), err);
        assertTrue(err.contains("colossal.sequence-level") && err.contains("trlx.token-level"), err);
    }

    @Test
    void aCriticFreeSchedulerTrainsWithNoCriticLoadedAndGetsEachStep(@TempDir Path dir) throws Exception {
        TestSchedulers.Reinforce.STEPS.clear();
        // the critic's checkpoint does not exist: a critic-free method must not need it
        List<JsonNode> lines = ppo(dir, "ppo { scheduler = test-reinforce, critic = checkpoints/no-such-critic }\n", 0);
        assertEquals(List.of(1, 2, 3), TestSchedulers.Reinforce.STEPS);
        for (int step = 1; step <= 3; step++) {
            assertEquals(0.0, step(lines, step).get("value-loss").asDouble(), 0.0, "no value step at step " + step);
            assertNotEquals(0.0, step(lines, step).get("policy-loss").asDouble(), "the policy trains at step " + step);
        }
        String err = lines.get(lines.size() - 1).get("stderr").asText();
        assertTrue(err.contains("scheduler test-reinforce, critic none"), err);
    }

    @Test
    void aGroupSchedulerGetsKAnswersPerPromptAndItsKlPenaltyInTheLoss(@TempDir Path dir) throws Exception {
        TestSchedulers.Group.SEEN.clear();
        List<JsonNode> lines = ppo(dir, "ppo { scheduler = test-group, samples-per-prompt = 2, critic = checkpoints/no-such-critic }\n", 0);
        assertEquals(3, TestSchedulers.Group.SEEN.size());
        for (int[] seen : TestSchedulers.Group.SEEN) {
            assertEquals(2, seen[0], "the group size the scheduler sees");
            assertEquals(0, seen[1] % 2);
        }
        int rows = TestSchedulers.Group.SEEN.get(0)[1];
        for (int step = 1; step <= 3; step++) {
            JsonNode m = step(lines, step);
            double constant = m.get("groups-constant-reward").asDouble();
            assertTrue(constant >= 0 && constant <= 1, "share of constant groups at step " + step + ": " + constant);
            // k3 is never negative, and after the first update the policy has moved from the reference
            assertTrue(m.get("kl-loss").asDouble() >= 0, "kl-loss at step " + step);
        }
        assertTrue(step(lines, 3).get("kl-loss").asDouble() > 0, "the KL penalty grows once the actor moves");
        assertTrue(rows >= 4, "rollout-batch prompts x 2 answers: " + rows);
    }

    @Test
    void aGroupSchedulerWithOneAnswerPerPromptFailsNamingTheKey(@TempDir Path dir) throws Exception {
        List<JsonNode> lines = ppo(dir, "ppo.scheduler = test-group\n", 3);
        String err = lines.get(lines.size() - 1).get("stderr").asText();
        assertTrue(err.contains("samples-per-prompt") && err.contains("needs at least 2"), err);
    }

    @Test
    void aSchedulerThatThrowsIsNamedWithTheStep(@TempDir Path dir) throws Exception {
        List<JsonNode> lines = ppo(dir, "ppo.scheduler = test-throwing-scheduler\n", 1);
        String err = lines.get(lines.size() - 1).get("stderr").asText();
        assertTrue(err.contains("stage ppo, step 2: ppo.scheduler 'test-throwing-scheduler' failed: "
                + "IllegalStateException: no advantages for a batch of 4"), err);
    }

    @Test
    void verifiableRewardScoresRolloutsByTheRuleAlone(@TempDir Path dir) throws Exception {
        // scores no learned model could give: every reward is 3 (wrong) or 5 (correct)
        List<JsonNode> lines = ppo(dir, "ppo.reward = rule-correctness\nrule-correctness { correct-score = 5, wrong-score = 3 }\n", 0);
        for (int s = 1; s <= 3; s++) {
            double mean = step(lines, s).get("reward-mean").asDouble();
            assertTrue(mean >= 3 && mean <= 5, "step " + s + ": " + mean);
        }
        double heldOut = step(lines, 3).get("heldout-reward").asDouble();
        assertTrue(heldOut >= 3 && heldOut <= 5, "held-out answers are scored by the rule too: " + heldOut);
    }

    @Test
    void verifiableRewardNamesThePromptWithoutAnExpectedAnswer(@TempDir Path dir) throws Exception {
        List<Record> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            out.add(new Record("m" + i, Record.Kind.PROMPT, "say cat", List.of(), List.of(),
                    i == 1 ? Map.of() : Map.of("expected", "cat"), new Provenance("test", "missing.jsonl", i + 1)));
        }
        Path file = dir.resolve("missing.jsonl");
        RecordJsonl.write(file, out);
        List<JsonNode> lines = ppo(dir, "ppo.files = [\"" + file + "\"]\nppo.reward = rule-correctness\n", 1);
        String err = lines.get(lines.size() - 1).get("stderr").asText();
        assertTrue(err.contains("prompt m1 (") && err.contains("missing.jsonl:2") && err.contains("no meta.expected"), err);
        // skip: the run goes on
        Path skip = Files.createDirectories(dir.resolve("skip"));
        ppo(skip, "ppo.files = [\"" + file + "\"]\nppo.reward = rule-correctness\nrule-correctness.missing-expected = skip\n", 0);
    }
}
