package com.example.rlhf;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.pf4j.Extension;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.RunContext;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.stage.Progress;
import org.rlhf4j.api.stage.Stage;
import org.rlhf4j.api.stage.StageContext;

/**
 * Writes a uniform random sample of {@code count} lines of {@code input} (reservoir sampling, seeded from
 * {@code run.seed}: the same run gives the same sample) to {@code output}, in input order, and logs how many lines
 * it read and kept. Settings are read and checked in the constructor, so a bad value fails the run before any stage
 * works; the input is opened only when the stage runs.
 *
 * <pre>
 * run.stages = [acquire, filter, example.sample]
 * example.sample.count = 10
 * </pre>
 */
@Extension
@ExtensionName("example.sample")
public final class SampleStage implements Stage {

    private final String input;
    private final int count;
    private final String output;
    private final RunContext run;

    @Inject
    public SampleStage(@Settings Config settings, RunContext run) {
        this.input = settings.getString("input");
        this.count = settings.getInt("count");
        if (count <= 0) {
            throw new ConfigProblem(settings, "count", "must be > 0, got " + count);
        }
        this.output = settings.getString("output");
        if (Path.of(output).isAbsolute()) {
            throw new ConfigProblem(settings, "output", "must be relative to the run directory, got " + output);
        }
        this.run = run;
    }

    @Override
    public void run(StageContext context) throws Exception {
        Path in = context.input(input); // a StageFailure naming the path when no earlier stage wrote it
        Random random = new Random(run.seed("example.sample"));
        List<long[]> kept = new ArrayList<>(); // {line number, index into lines}
        List<String> lines = new ArrayList<>();
        long read = 0;
        try (BufferedReader r = Files.newBufferedReader(in, StandardCharsets.UTF_8);
             Progress progress = context.progress("sampling " + in.getFileName(), -1)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                read++;
                progress.step(1);
                if (lines.size() < count) {
                    kept.add(new long[] {read, lines.size()});
                    lines.add(line);
                } else {
                    long j = (long) (random.nextDouble() * read);
                    if (j < count) {
                        int slot = (int) kept.get((int) j)[1];
                        kept.set((int) j, new long[] {read, slot});
                        lines.set(slot, line);
                    }
                }
            }
        }
        kept.sort((a, b) -> Long.compare(a[0], b[0]));
        List<String> out = new ArrayList<>();
        for (long[] k : kept) {
            out.add(lines.get((int) k[1]));
        }
        Path target = context.staging().resolve(output); // published as <run dir>/<output> when run() returns
        Files.createDirectories(target.getParent());
        Files.write(target, out, StandardCharsets.UTF_8);
        run.metrics().log(context.stage(), 0, Map.of("lines", read, "sampled", out.size()));
    }
}
