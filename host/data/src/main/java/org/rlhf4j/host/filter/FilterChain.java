package org.rlhf4j.host.filter;

import java.io.BufferedReader;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.LongConsumer;
import org.rlhf4j.api.data.FilterDecision;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.data.RecordFilter;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.run.ExtensionFailure;
import org.rlhf4j.host.records.RecordJsonl;

/**
 * Runs a chain of filters over a JSONL file of records on all cores, writing the survivors and the
 * rejected records (with {@code meta.rejected-by} and {@code meta.reject-reason}).
 *
 * <p>A filter that needs an index (dedup) must see exactly the records that reach it, so the chain runs
 * in passes: each pass applies the filters up to the next indexing one and feeds it the survivors
 * (from every thread at once when the filter allows), then that filter's index is finished and the next
 * pass starts from the survivors. Records go through in batches; a batch is filtered in parallel and
 * written in input order, so the output is the same for any number of threads.
 */
public final class FilterChain {

    /** A filter of the chain, with the record kinds and formats it applies to (others pass it untouched). */
    public record Step(String name, RecordFilter filter, Set<Record.Kind> kinds, Set<String> skipFormats) {
        boolean appliesTo(Record r) {
            return kinds.contains(r.kind()) && !skipFormats.contains(r.meta().getOrDefault("format", ""));
        }
    }

    /** What a pass did with one record: the record it leaves, or the step and reason that dropped it. */
    private record Outcome(Record in, Record out, int droppedAt, String reason, String[] modifications) {
    }

    static final int BATCH = 1024;

    private final List<Step> steps;
    private final int threads;
    private final List<FilterStats> stats = new ArrayList<>();

    public FilterChain(List<Step> steps, int threads) {
        this.steps = steps;
        this.threads = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        for (Step s : steps) {
            stats.add(new FilterStats(s.name()));
        }
    }

    public List<FilterStats> stats() {
        return stats;
    }

    /** Filters {@code input} into {@code output}, rejected records into {@code rejected}; temporary passes go to {@code work}. */
    public void run(Path input, Path output, Path rejected, Path work, LongConsumer progress) throws IOException {
        Files.createDirectories(work);
        ForkJoinPool pool = new ForkJoinPool(threads);
        try (OutputStream rej = output(rejected)) {
            Path in = input;
            int a = 0;
            boolean aIndexed = false;
            int pass = 0;
            while (true) {
                int b = a;
                while (b < steps.size() && !(steps.get(b).filter().needsIndex() && !(b == a && aIndexed))) {
                    b++;
                }
                boolean last = b == steps.size();
                Path out = last ? output : work.resolve("pass-" + pass++ + ".jsonl");
                runPass(pool, in, out, rej, a, b, last ? null : steps.get(b), progress);
                if (!in.equals(input)) {
                    Files.deleteIfExists(in);
                }
                if (last) {
                    return;
                }
                steps.get(b).filter().indexDone();
                in = out;
                a = b;
                aIndexed = true;
            }
        } finally {
            pool.shutdown();
        }
    }

    /** A buffered file to write record lines to, as {@link RecordJsonl#write} encodes them. */
    private static OutputStream output(Path file) throws IOException {
        return new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
    }

    private void runPass(ForkJoinPool pool, Path in, Path out, OutputStream rej, int from, int to, Step indexInto,
                         LongConsumer progress) throws IOException {
        boolean concurrentIndex = indexInto != null && indexInto.filter().concurrentIndex();
        try (BufferedReader reader = Files.newBufferedReader(in, StandardCharsets.UTF_8);
             OutputStream writer = output(out)) {
            long lineNo = 0;
            List<Record> batch = new ArrayList<>(BATCH);
            String line;
            while (true) {
                line = reader.readLine();
                if (line != null) {
                    lineNo++;
                    if (!line.isBlank()) {
                        batch.add(RecordJsonl.fromLine(line, in + ":" + lineNo));
                    }
                }
                if (batch.size() == BATCH || line == null && !batch.isEmpty()) {
                    List<Record> current = batch;
                    List<Outcome> outcomes = parallel(pool, () -> current.parallelStream().map(r -> {
                        Outcome o = process(r, from, to);
                        if (concurrentIndex && o.out() != null && indexInto.appliesTo(o.out())) {
                            index(indexInto, o.out());
                        }
                        return o;
                    }).toList());
                    for (Outcome o : outcomes) {
                        record(o, from, to, writer, rej);
                        if (!concurrentIndex && indexInto != null && o.out() != null && indexInto.appliesTo(o.out())) {
                            index(indexInto, o.out());
                        }
                    }
                    if (to > from || indexInto != null) {
                        progress.accept(current.size());
                    }
                    batch = new ArrayList<>(BATCH);
                }
                if (line == null) {
                    return;
                }
            }
        }
    }

    private Outcome process(Record r, int from, int to) {
        Record current = r;
        String[] mods = null;
        for (int i = from; i < to; i++) {
            Step step = steps.get(i);
            if (!step.appliesTo(current)) {
                continue;
            }
            FilterDecision d;
            try {
                d = step.filter().apply(current);
            } catch (RuntimeException e) {
                throw ExtensionFailure.of("filter", step.name(), "record " + r.id() + where(r), e);
            }
            switch (d.action()) {
                case DROP -> {
                    return new Outcome(r, null, i, d.reason(), mods);
                }
                case MODIFY -> {
                    if (mods == null) {
                        mods = new String[steps.size()];
                    }
                    mods[i] = d.reason();
                    current = d.record();
                }
                case KEEP -> current = d.record();
            }
        }
        return new Outcome(r, current, -1, null, mods);
    }

    private static void index(Step step, Record r) {
        try {
            step.filter().index(r);
        } catch (RuntimeException e) {
            throw ExtensionFailure.of("filter", step.name(), "record " + r.id() + where(r) + " (indexing)", e);
        }
    }

    private static String where(Record r) {
        return r.provenance() == null ? "" : " (" + r.provenance() + ")";
    }

    private void record(Outcome o, int from, int to, OutputStream writer, OutputStream rej) throws IOException {
        Record r = o.in();
        int end = o.droppedAt() >= 0 ? o.droppedAt() : to;
        for (int i = from; i < end; i++) {
            if (!steps.get(i).appliesTo(r)) {
                continue;
            }
            if (o.modifications() != null && o.modifications()[i] != null) {
                stats.get(i).modify(r.id(), o.modifications()[i]);
            } else {
                stats.get(i).keep();
            }
        }
        if (o.droppedAt() >= 0) {
            stats.get(o.droppedAt()).drop(r.id(), o.reason());
            RecordJsonl.write(r.withMeta("rejected-by", steps.get(o.droppedAt()).name()).withMeta("reject-reason", o.reason()), rej);
        } else {
            RecordJsonl.write(o.out(), writer);
        }
    }

    private static <T> T parallel(ForkJoinPool pool, java.util.concurrent.Callable<T> work) {
        try {
            return pool.submit(work).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StageFailure("filtering was interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(c);
        }
    }
}
