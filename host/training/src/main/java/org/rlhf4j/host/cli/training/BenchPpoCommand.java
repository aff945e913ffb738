package org.rlhf4j.host.cli.training;

import org.rlhf4j.host.cli.Cli;
import org.rlhf4j.host.cli.ExitCodes;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.rlhf4j.host.model.Gpt;
import org.rlhf4j.host.model.GptConfig;
import org.rlhf4j.host.model.HfCheckpoint;
import org.rlhf4j.host.model.Lora;
import org.rlhf4j.host.model.tokenizer.CharTokenizer;
import org.rlhf4j.host.model.tokenizer.Tokenizer;
import org.rlhf4j.host.reward.ModelCopies;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code rlhf bench ppo}: one PPO iteration's time split (generation / scoring / training), tokens/s and peak
 * memory, for the quickstart's model size and for one 4x as wide, each with every weight trained and with LoRA
 * adapters ({@code ppo.actor-lora-dim} and {@code critic-lora-dim}; the reference is then the actor with its
 * adapters off). Runs the real ppo stage (the engine and the deepspeed-style scheduler) on seeded untrained
 * checkpoints, so it needs no earlier run. Each row runs in its own JVM, so that its peak memory (the process's
 * resident high-water mark) is its own.
 */
@Command(name = "ppo", mixinStandardHelpOptions = true,
        description = "PPO iteration time split (generation / scoring / training), tokens/s and peak memory, with and without LoRA.")
final class BenchPpoCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--widths", split = ",", description = "Model widths (default: ${DEFAULT-VALUE}: the quickstart's and 4x).")
    List<Integer> widths = List.of(128, 512);

    @Option(names = "--lora", description = "LoRA rank of the second row per width; 0 runs only the full rows (default: ${DEFAULT-VALUE}).")
    int lora = 8;

    @Option(names = "--steps", description = "PPO iterations per size; the first is a warm-up (default: ${DEFAULT-VALUE}).")
    int steps = 4;

    @Option(names = "--rollout-batch", description = "Prompts per rollout (default: ${DEFAULT-VALUE}).")
    int rolloutBatch = 16;

    @Option(names = "--new-tokens", description = "Answer tokens at most (default: ${DEFAULT-VALUE}).")
    int newTokens = 32;

    @Mixin
    BenchCommand.EngineOptions engine;

    @Override
    public Integer call() throws Exception {
        Device dev = engine.start();
        Path work = Files.createTempDirectory("rlhf-bench-ppo");
        Path prompts = work.resolve("prompts.jsonl");
        List<String> texts = samplePrompts();
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < texts.size(); i++) {
            lines.append("{\"id\":\"p").append(i).append("\",\"kind\":\"prompt\",\"text\":")
                    .append(JSON.writeValueAsString(texts.get(i))).append("}\n");
        }
        Files.writeString(prompts, lines, StandardCharsets.UTF_8);
        List<String> corpus = new ArrayList<>(texts);
        corpus.add(" Human: Assistant: System: BEGINNING OF CONVERSATION: USER: ASSISTANT:"); // the chat templates' text
        Tokenizer tok = CharTokenizer.of(corpus);
        String threadCount = System.getProperty("ai.djl.pytorch.num_threads");
        System.out.printf("bench ppo: deepspeed.token-level, %d prompts per rollout, up to %d new tokens, device %s, %s threads%n",
                rolloutBatch, newTokens, dev, threadCount);
        System.out.printf("  %-6s %5s %9s %9s %9s %8s %9s %9s %9s %11s %11s %8s%n", "width", "lora", "params", "trained",
                "state MB", "step s", "generate", "score", "train", "gen tok/s", "train tok/s", "peak MB");
        for (int width : widths) {
            GptConfig c = new GptConfig(tok.vocabSize(), 128, 4, 4, width, 0.0, "gelu", 1e-5, 0.02, false);
            Path checkpoints = work.resolve("w" + width + "-checkpoints");
            long[] counts = checkpoints(c, dev, tok, checkpoints);
            for (int rank : lora > 0 ? List.of(0, lora) : List.of(0)) {
                Path run = work.resolve("w" + width + "-lora" + rank);
                copyTree(checkpoints, run.resolve("checkpoints"));
                Path conf = work.resolve("w" + width + "-lora" + rank + ".conf");
                Files.writeString(conf, """
                        run { name = bench, seed = 1, device = "%s", threads = %s, stages = [ppo], output = "%s" }
                        ppo { files = ["%s"], steps = %d, rollout-batch = %d, minibatch = %d, sample-interval = 1000,
                              sample-prompts = 1, checkpoint-interval = 0, generate { max-new-tokens = %d, stop = [] },
                              actor-lora-dim = %d, critic-lora-dim = %d }
                        """.formatted(engine.device, threadCount, run, prompts, steps, rolloutBatch, Math.max(1, rolloutBatch / 2),
                        newTokens, rank, rank));
                int code = runAlone(conf, work.resolve("w" + width + "-lora" + rank + ".log"));
                if (code != 0) {
                    System.err.println("bench ppo: the ppo stage failed for width " + width + ", lora " + rank + " (exit " + code
                            + "); its log: " + work.resolve("w" + width + "-lora" + rank + ".log"));
                    return code;
                }
                print(width, rank, counts, run.resolve("metrics.jsonl"));
            }
        }
        System.out.println("  state MB: weights, gradients and AdamW moments of the four models (actor, reference, critic,"
                + " reward model), float32; peak MB: the JVM's resident high-water mark (VmHWM)");
        return ExitCodes.OK;
    }

    /**
     * Writes the SFT and reward checkpoints of width {@code c}; returns the parameters of actor and critic, and the
     * values that train under LoRA of rank {@link #lora} (actor, critic; 0 when it is off).
     */
    private long[] checkpoints(GptConfig c, Device dev, Tokenizer tok, Path dir) throws Exception {
        try (Gpt sft = Gpt.initialised(c, dev, 1); Gpt rm = ModelCopies.withScoreHead(sft, 2)) {
            HfCheckpoint.save(sft, tok, dir.resolve("sft"));
            HfCheckpoint.save(rm, tok, dir.resolve("reward"));
            long[] counts = {sft.parameterCount(), rm.parameterCount(), 0, 0};
            if (lora > 0) {
                sft.addAdapters(Lora.Spec.allLayers(lora, 1), 0);
                rm.addAdapters(Lora.Spec.allLayers(lora, 1), 0);
                counts[2] = sft.trainableCount();
                counts[3] = rm.trainableCount();
            }
            return counts;
        }
    }

    /** Runs {@code rlhf run conf} in a JVM of its own (this one's options and classpath), output to {@code log}. */
    private int runAlone(Path conf, Path log) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ((Cli) spec.root().userObject()).mainClass().getName()));
        Path plugins = ((Cli) spec.root().userObject()).pluginsDir();
        if (plugins != null) {
            cmd.addAll(List.of("--plugins", plugins.toString()));
        }
        cmd.addAll(List.of("run", conf.toString()));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start().waitFor();
    }

    /** Medians over the steps after the first (a warm-up); the state size from the parameter counts. */
    private void print(int width, int rank, long[] counts, Path metrics) throws Exception {
        List<JsonNode> steps = new ArrayList<>();
        try (Stream<String> s = Files.lines(metrics)) {
            for (String line : s.toList()) {
                JsonNode n = JSON.readTree(line);
                if (n.has("time-train") && n.path("step").asInt() > 1) {
                    steps.add(n);
                }
            }
        }
        long actor = counts[0];
        long critic = counts[1];
        // full: actor and critic x 4 (weights, gradients, m, v), reference and reward model x 1;
        // LoRA: the frozen actor (also the reference) and critic once, what trains x 4, the reward model x 1
        long trained = rank == 0 ? actor + critic : counts[2] + counts[3];
        long values = rank == 0 ? 5 * actor + 5 * critic : actor + 2 * critic + 4 * trained;
        double gen = median(steps, "time-generate");
        double score = median(steps, "time-score");
        double train = median(steps, "time-train");
        System.out.printf("  %-6d %5s %8.2fM %8.3fM %9.0f %8.2f %9.2f %9.2f %9.2f %11.0f %11.0f %8.0f%n", width,
                rank == 0 ? "off" : String.valueOf(rank), actor / 1e6, trained / 1e6, values * 4 / 1048576.0,
                gen + score + train, gen, score, train, median(steps, "tokens-per-second-generate"),
                median(steps, "tokens-per-second-train"), steps.stream().mapToDouble(n -> n.get("peak-memory-mb").asDouble()).max().orElse(-1));
    }

    private static void copyTree(Path from, Path to) throws Exception {
        Files.createDirectories(to.getParent());
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }

    private static double median(List<JsonNode> steps, String key) {
        return BenchCommand.median(steps.stream().mapToDouble(n -> n.get(key).asDouble()).toArray());
    }

    /** The quickstart's PPO prompts when run from the repository, else a few of the same shape. */
    private static List<String> samplePrompts() throws Exception {
        Path shipped = Path.of("configs/quickstart/tasks/prompts.jsonl");
        List<String> out = new ArrayList<>();
        if (Files.exists(shipped)) {
            for (String line : Files.readAllLines(shipped)) {
                out.add(JSON.readTree(line).get("prompt").asText());
            }
        } else {
            for (int i = 1; i <= 64; i++) {
                out.add("What is " + i + " plus " + (i % 9 + 1) + "?");
            }
        }
        return out;
    }
}
