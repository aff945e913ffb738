package org.rlhf4j.host.cli;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.rlhf4j.host.model.tokenizer.CharTokenizer;
import org.rlhf4j.host.model.tokenizer.Tokenizer;
import org.rlhf4j.host.reward.ModelCopies;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code rlhf bench ppo}: one PPO iteration's time split (generation / scoring / training), tokens/s and peak
 * memory, for the quickstart's model size and for one 4x as wide. Runs the real ppo stage (the engine and the
 * deepspeed-style scheduler) on seeded untrained checkpoints, so it needs no earlier run.
 */
@Command(name = "ppo", mixinStandardHelpOptions = true,
        description = "PPO iteration time split (generation / scoring / training), tokens/s and peak memory.")
final class BenchPpoCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--widths", split = ",", description = "Model widths (default: ${DEFAULT-VALUE}: the quickstart's and 4x).")
    List<Integer> widths = List.of(128, 512);

    @Option(names = "--steps", description = "PPO iterations per size; the first is a warm-up (default: ${DEFAULT-VALUE}).")
    int steps = 4;

    @Option(names = "--rollout-batch", description = "Prompts per rollout (default: ${DEFAULT-VALUE}).")
    int rolloutBatch = 16;

    @Option(names = "--new-tokens", description = "Answer tokens at most (default: ${DEFAULT-VALUE}).")
    int newTokens = 32;

    @Option(names = "--threads", description = "Intra-op threads; 0 = one per core (default: ${DEFAULT-VALUE}).")
    int threads = 0;

    @Option(names = "--device", description = "auto | cpu | gpu | gpu:N (default: ${DEFAULT-VALUE}).")
    String device = "auto";

    @Override
    public Integer call() throws Exception {
        Device dev = BenchCommand.startEngine(threads, device);
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
        System.out.printf("bench ppo: deepspeed.token-level, %d prompts per rollout, up to %d new tokens, device %s, %s threads%n",
                rolloutBatch, newTokens, dev, System.getProperty("ai.djl.pytorch.num_threads"));
        System.out.printf("  %-6s %9s %10s %9s %9s %9s %12s %12s %10s%n", "width", "params", "step s", "generate", "score",
                "train", "gen tok/s", "train tok/s", "peak MB");
        for (int width : widths) {
            Path run = work.resolve("w" + width);
            GptConfig c = new GptConfig(tok.vocabSize(), 128, 4, 4, width, 0.0, "gelu", 1e-5, 0.02, false);
            long params;
            try (Gpt sft = Gpt.initialised(c, dev, 1); Gpt rm = ModelCopies.withScoreHead(sft, 2)) {
                params = sft.parameterCount();
                HfCheckpoint.save(sft, tok, run.resolve("checkpoints/sft"));
                HfCheckpoint.save(rm, tok, run.resolve("checkpoints/reward"));
            }
            Path conf = work.resolve("w" + width + ".conf");
            Files.writeString(conf, """
                    run { name = bench, seed = 1, device = "%s", stages = [ppo], output = "%s" }
                    ppo { files = ["%s"], steps = %d, rollout-batch = %d, minibatch = %d, sample-interval = 1000,
                          sample-prompts = 1, checkpoint-interval = 0, generate { max-new-tokens = %d, stop = [] } }
                    """.formatted(device, run, prompts, steps, rolloutBatch, Math.max(1, rolloutBatch / 2), newTokens));
            List<String> args = new ArrayList<>();
            Path plugins = ((Main) spec.root().userObject()).pluginsDir;
            if (plugins != null) {
                args.addAll(List.of("--plugins", plugins.toString()));
            }
            args.addAll(List.of("run", conf.toString()));
            int code = Main.execute(args.toArray(String[]::new));
            if (code != 0) {
                System.err.println("bench ppo: the ppo stage failed for width " + width + " (exit " + code + ")");
                return code;
            }
            print(width, params, run.resolve("metrics.jsonl"));
        }
        return ExitCodes.OK;
    }

    /** Medians over the steps after the first (a warm-up). */
    private void print(int width, long params, Path metrics) throws Exception {
        List<JsonNode> steps = new ArrayList<>();
        try (Stream<String> s = Files.lines(metrics)) {
            for (String line : s.toList()) {
                JsonNode n = JSON.readTree(line);
                if (n.has("time-train") && n.path("step").asInt() > 1) {
                    steps.add(n);
                }
            }
        }
        double gen = median(steps, "time-generate");
        double score = median(steps, "time-score");
        double train = median(steps, "time-train");
        System.out.printf("  %-6d %8.2fM %10.2f %9.2f %9.2f %9.2f %12.0f %12.0f %10.0f%n", width, params / 1e6,
                gen + score + train, gen, score, train, median(steps, "tokens-per-second-generate"),
                median(steps, "tokens-per-second-train"), steps.stream().mapToDouble(n -> n.get("peak-memory-mb").asDouble()).max().orElse(-1));
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
