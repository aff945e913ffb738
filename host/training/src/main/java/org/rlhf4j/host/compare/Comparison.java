package org.rlhf4j.host.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a comparison: (1) resolves every variant and creates its stages, and decides and checks the shared
 * stages, before any work; (2) runs the shared stages once in {@code <folder>/shared/}; (3) gives each variant's
 * folder the shared outputs ({@link SharedOutputs}) and runs the rest of it with {@code rlhf run --resume};
 * (4) writes the report ({@link CompareReport}). Every run resumes, so a killed comparison continues where it
 * stopped when started again with {@code --resume}.
 */
public final class Comparison {

    private static final Logger log = LoggerFactory.getLogger(Comparison.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Override values as one-line JSON (a HOCON value). */
    private static final ObjectMapper VALUES = new ObjectMapper();

    /** A run of the comparison ended with a non-zero exit code. */
    public static final class RunFailed extends Exception {
        private final int exitCode;

        RunFailed(String what, int exitCode) {
            super(what + " failed with exit code " + exitCode);
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    private final CompareSpec spec;
    private final VariantRunner runner;

    public Comparison(CompareSpec spec, VariantRunner runner) {
        this.spec = spec;
        this.runner = runner;
    }

    /** What an earlier comparison left in the folder (finished stages), or null when there is nothing. */
    public String existing() throws IOException {
        if (!Files.isDirectory(spec.output())) {
            return null;
        }
        try (Stream<Path> s = Files.walk(spec.output(), 3)) {
            long done = s.filter(p -> p.getFileName().toString().endsWith(".done")).count();
            return done == 0 ? null : spec.output() + " holds an earlier comparison (" + done + " finished stage markers)";
        }
    }

    /** Runs everything not finished yet; returns the report's path. */
    public Path run() throws Exception {
        List<SharedStages.Variant> resolved = new ArrayList<>();
        for (CompareSpec.Variant v : spec.variants()) {
            VariantRunner.Resolved r = runner.resolve(v.config(), own(v));
            resolved.add(new SharedStages.Variant(v.name(), r.config(), r.extensionNames()));
        }
        SharedStages.Decision decision = SharedStages.decide(resolved, spec.sharedStages());
        Files.createDirectories(spec.output());
        try (FileChannel ch = FileChannel.open(spec.output().resolve(".compare.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = ch.tryLock()) {
            if (lock == null) {
                throw new CompareProblem("comparison folder " + spec.output() + " is in use by another rlhf process");
            }
            log.info("compare {}: shared stages {}{}", spec.name(), decision.stages(),
                    decision.stopReason().isEmpty() ? "" : " (not shared from here: " + decision.stopReason() + ")");
            writeSummary(decision);
            if (!decision.stages().isEmpty()) {
                CompareSpec.Variant first = spec.variants().get(0);
                List<String> sets = new ArrayList<>(first.sets());
                sets.add("run.name=" + CompareSpec.SHARED);
                sets.add("run.output=" + quoted(spec.sharedDirectory().toString()));
                sets.add("run.stages=" + VALUES.writeValueAsString(decision.stages()));
                log.info("compare {}: shared stages in {}", spec.name(), spec.sharedDirectory());
                check("the shared stages (" + first.config() + ")", runner.run(first.config(), sets));
            }
            for (CompareSpec.Variant v : spec.variants()) {
                Path dir = spec.directory(v);
                if (!decision.stages().isEmpty() && !SharedOutputs.carried(dir, decision.stages())) {
                    SharedOutputs.Carried c = SharedOutputs.carry(spec.sharedDirectory(), dir, decision.stages());
                    log.info("compare {}: variant {}: shared outputs carried over ({} hard links, {} copies)", spec.name(),
                            v.name(), c.linked(), c.copied());
                }
                log.info("compare {}: variant {} ({}) in {}", spec.name(), v.name(), v.config(), dir);
                check("variant " + v.name() + " (" + v.config() + ")", runner.run(v.config(), own(v)));
            }
            List<CompareReport.Run> runs = new ArrayList<>();
            for (int i = 0; i < resolved.size(); i++) {
                runs.add(new CompareReport.Run(resolved.get(i).name(), spec.directory(spec.variants().get(i)), resolved.get(i).stages()));
            }
            return new CompareReport(spec, decision, runs).write();
        }
    }

    /** A variant's overrides plus its place in the comparison: its name and folder. */
    private List<String> own(CompareSpec.Variant v) {
        List<String> sets = new ArrayList<>(v.sets());
        sets.add("run.name=" + v.name());
        sets.add("run.output=" + quoted(spec.directory(v).toString()));
        return sets;
    }

    private static String quoted(String s) {
        try {
            return VALUES.writeValueAsString(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void check(String what, int exitCode) throws RunFailed {
        if (exitCode != 0) {
            throw new RunFailed(what, exitCode);
        }
    }

    /** compare.json: the variants, their files and overrides, the shared stages and why the next is not. */
    private void writeSummary(SharedStages.Decision decision) {
        try {
            Path tmp = spec.output().resolve("compare.json.tmp");
            JSON.writeValue(tmp.toFile(), CompareSummary.from(spec, decision));
            Files.move(tmp, spec.output().resolve("compare.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + spec.output().resolve("compare.json"), e);
        }
    }
}
