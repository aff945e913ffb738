package org.rlhf4j.host.cli.training;

import org.rlhf4j.host.cli.ExitCodes;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.rlhf4j.host.model.Generator;
import org.rlhf4j.host.model.Gpt;
import org.rlhf4j.host.model.GptConfig;
import org.rlhf4j.host.model.HfCheckpoint;
import org.rlhf4j.host.model.tokenizer.CharTokenizer;
import org.rlhf4j.host.model.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rlhf bench generate}: sampling speed with the KV cache and with full recomputation, side by side. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generation tokens/s with the KV cache vs full recomputation of the prefix, side by side.")
final class BenchGenerateCommand implements Callable<Integer> {

    @Option(names = "--checkpoint", description = "A checkpoint folder to sample from; default: a baby-GPT-sized model"
            + " (4 layers, 4 heads, width 128) with a context of 512.")
    Path checkpoint;

    @Option(names = "--new-tokens", description = "New tokens per row (default: ${DEFAULT-VALUE}).")
    int newTokens = 256;

    @Option(names = "--batch", split = ",", description = "Batch sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> batches = List.of(1, 8);

    @Option(names = "--prompt-tokens", description = "Prompt length (default: ${DEFAULT-VALUE}).")
    int promptTokens = 16;

    @Mixin
    BenchCommand.EngineOptions engine;

    @Override
    public Integer call() throws Exception {
        Device dev = engine.start();
        Gpt model;
        Tokenizer tok;
        if (checkpoint != null) {
            HfCheckpoint.Loaded loaded = HfCheckpoint.load(checkpoint, dev);
            model = loaded.model();
            tok = loaded.tokenizer();
        } else {
            tok = CharTokenizer.of(List.of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ .,;:!?'\n"));
            model = Gpt.initialised(new GptConfig(tok.vocabSize(), 512, 4, 4, 128, 0.0, "gelu", 1e-5, 0.02, false), dev, 1);
        }
        try (model) {
            int n = Math.min(newTokens, model.config().context() - promptTokens);
            Generator g = new Generator(model, tok, new Generator.Settings(n, 1.0, 0, 1.0, List.of()));
            System.out.printf("bench generate: %d layers, width %d, %d-token prompts, %d new tokens, device %s, %s threads%n",
                    model.config().layers(), model.config().width(), promptTokens, n, dev,
                    System.getProperty("ai.djl.pytorch.num_threads"));
            System.out.printf("  %-6s %16s %18s %9s%n", "batch", "KV cache tok/s", "recompute tok/s", "speed-up");
            for (int b : batches) {
                List<int[]> prompts = new ArrayList<>();
                for (int i = 0; i < b; i++) {
                    int[] p = new int[promptTokens];
                    for (int t = 0; t < promptTokens; t++) {
                        p[t] = (i * 7 + t * 3) % (tok.vocabSize() - 4);
                    }
                    prompts.add(p);
                }
                g.generate(prompts, 0, true);   // warm-up
                double cached = tokensPerSecond(g, prompts, n, true);
                double full = tokensPerSecond(g, prompts, n, false);
                System.out.printf("  %-6d %16.0f %18.0f %8.1fx%n", b, cached, full, cached / full);
            }
        }
        return ExitCodes.OK;
    }

    private static double tokensPerSecond(Generator g, List<int[]> prompts, int n, boolean cache) {
        long t0 = System.nanoTime();
        g.generate(prompts, 1, cache);
        return (double) prompts.size() * n / ((System.nanoTime() - t0) / 1e9);
    }
}
