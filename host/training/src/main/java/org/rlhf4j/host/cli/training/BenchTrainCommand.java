package org.rlhf4j.host.cli.training;

import org.rlhf4j.host.cli.ExitCodes;

import ai.djl.Device;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.rlhf4j.api.MetricsSink;
import org.rlhf4j.host.model.Gpt;
import org.rlhf4j.host.model.GptConfig;
import org.rlhf4j.host.model.tokenizer.CharTokenizer;
import org.rlhf4j.host.trainer.AdamW;
import org.rlhf4j.host.trainer.Batch;
import org.rlhf4j.host.trainer.TokenWindows;
import org.rlhf4j.host.trainer.TrainSettings;
import org.rlhf4j.host.trainer.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rlhf bench train}: nanoGPT's "baby GPT" on character-level tiny Shakespeare (config/train_shakespeare_char.py
 * with dropout 0): 4 layers, 4 heads, width 128, context 64, batch 12, lr 1e-3 -> 1e-4 after 100 warm-up
 * iterations, AdamW beta2 0.99, weight decay 0.1, clip 1.0; first 90% train, last 10% validation. No biases in
 * Linear and LayerNorm layers ({@code model.bias = false}): nanoGPT's train.py default, which that config keeps
 * ({@code --bias} puts GPT-2's back, for a paired comparison over the same seeds).
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train nanoGPT's baby GPT on char-level tiny Shakespeare; print validation loss, ms/iteration, tokens/s, share of peak.")
final class BenchTrainCommand implements Callable<Integer> {

    @Option(names = "--data", description = "The corpus (default: ${DEFAULT-VALUE}).")
    Path data = Path.of("../shared/data/tinyshakespeare.txt");

    @Option(names = "--iters", description = "Iterations per seed (default: ${DEFAULT-VALUE}).")
    int iters = 2000;

    @Option(names = "--seeds", description = "Seeds to run; the median is reported (default: ${DEFAULT-VALUE}).")
    int seeds = 3;

    @Option(names = "--eval-batches", description = "Validation batches of 12 x 64 (default: ${DEFAULT-VALUE}).")
    int evalBatches = 200;

    @Option(names = "--peak-gflops", description = "The machine's matmul peak, for the utilisation (default: ${DEFAULT-VALUE}).")
    double peakGflops = 120;

    @Option(names = "--bias", description = "Keep GPT-2's Linear and LayerNorm biases (default: none, as nanoGPT).")
    boolean bias;

    @Mixin
    BenchCommand.EngineOptions engine;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(data)) {
            System.err.println("error: " + data.toAbsolutePath() + " does not exist (give --data)");
            return ExitCodes.USAGE;
        }
        Device dev = engine.start();
        String text = Files.readString(data, StandardCharsets.UTF_8);
        CharTokenizer tok = CharTokenizer.of(List.of(text));
        int[] tokens = tok.encode(text);
        int B = 12;
        int T = 64;
        TokenWindows[] split = TokenWindows.split(tokens, 0.1, B, T);
        // nanoGPT's vocabulary is the corpus's characters alone (65): the special tokens our tokenizer numbers after
        // them never occur here, and as extra softmax classes they would only differ from the reference.
        int vocab = java.util.Arrays.stream(tokens).max().orElseThrow() + 1;
        GptConfig config = new GptConfig(vocab, T, 4, 4, 128, 0.0, "gelu", 1e-5, 0.02, false, bias);
        TrainSettings settings = new TrainSettings(iters, B, 1, 1e-3, 1e-4, 100,
                new AdamW.Hyper(0.9, 0.99, 1e-8, 0.1), 1.0, iters, evalBatches, 0);
        List<Batch> validation = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(1337);
        for (int i = 0; i < evalBatches; i++) {
            validation.add(split[1].next(r));
        }
        System.out.printf("bench train: baby GPT (4 layers, 4 heads, width 128, context 64, batch 12, %s) on %s, %d chars,"
                + " vocabulary %d, %d iterations x %d seeds, device %s, %s threads%n", bias ? "biases" : "no biases", data.getFileName(), text.length(),
                vocab, iters, seeds, dev, System.getProperty("ai.djl.pytorch.num_threads"));
        double[] losses = new double[seeds];
        double[] msMedians = new double[seeds];
        long flopsPerIter = 0;
        for (int s = 0; s < seeds; s++) {
            List<Double> ms = new ArrayList<>();
            MetricsSink timing = (stage, step, values) -> {
                Object tps = values.get("tokens-per-second");
                if (tps instanceof Number n && step > 10) {   // skip the warm-up of the engine
                    ms.add(1000.0 * B * T / n.doubleValue());
                }
            };
            try (Gpt gpt = Gpt.initialised(config, dev, 1000 + s)) {
                flopsPerIter = flopsPerIteration(gpt, B, T);
                Trainer.Result result = new Trainer(gpt, settings, "bench", timing, 2000 + s).fit(split[0], validation, null, null);
                losses[s] = result.validationLoss();
            }
            msMedians[s] = BenchCommand.median(ms.stream().mapToDouble(Double::doubleValue).toArray());
            System.out.printf("  seed %d: validation loss %.4f over %d batches, median %.1f ms/iteration%n", s,
                    losses[s], evalBatches, msMedians[s]);
        }
        double loss = BenchCommand.median(losses);
        double ms = BenchCommand.median(msMedians);
        double gflops = flopsPerIter / (ms / 1000) / 1e9;
        System.out.printf("validation loss (median of %d seeds): %.4f   (nanoGPT: 1.88; %s)%n", seeds, loss,
                loss <= 1.88 ? "met" : String.format("missed by %.3f", loss - 1.88));
        System.out.printf("time per iteration (median): %.1f ms   tokens/s: %.0f%n", ms, B * T / (ms / 1000));
        System.out.printf("model FLOPs per iteration: %.2f G  ->  %.1f GFLOPS, %.0f%% of a %.0f GFLOPS peak%n",
                flopsPerIter / 1e9, gflops, 100 * gflops / peakGflops, peakGflops);
        return ExitCodes.OK;
    }

    /** nanoGPT's estimate_mfu: 6 N + 12 L H D T per token, N without position embeddings, times B T tokens. */
    static long flopsPerIteration(Gpt gpt, int B, int T) {
        GptConfig c = gpt.config();
        long n = gpt.parameterCount() - gpt.parameters().get("wpe.weight").size();
        long perToken = 6 * n + 12L * c.layers() * c.heads() * c.headSize() * T;
        return perToken * B * T;
    }
}
