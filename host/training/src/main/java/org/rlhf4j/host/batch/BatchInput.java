package org.rlhf4j.host.batch;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.classify.CategoryLabels;
import org.rlhf4j.host.shard.Shard;

/**
 * The input of a batch job: the non-blank lines of its files, in order, numbered from 0 over all files and cut
 * into batches of {@code batch-size} consecutive records. A shard ({@code --shard i/N}) takes a contiguous range of
 * whole batches, so every engine and every sharding computes the very same batches. Each kept line is parsed
 * once here, so a malformed line or a missing answer stops the job before any model loads, naming file and line.
 */
public final class BatchInput {

    private BatchInput() {
    }

    /**
     * The batches of {@code shard} over {@code files}.
     *
     * @param needsAnswers whether every line must carry an answer (scoring and evaluation)
     */
    public static List<List<BatchItem>> read(List<Path> files, int batchSize, Shard shard, CategoryLabels labels,
                                             boolean needsAnswers) throws IOException {
        if (files.isEmpty()) {
            throw new StageFailure("no input files: give --input FILE (JSONL, one prompt per line)");
        }
        long records = 0;
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new StageFailure("input " + f + " does not exist or is not a file");
            }
            try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                for (String line; (line = r.readLine()) != null; ) {
                    records += line.isBlank() ? 0 : 1;
                }
            }
        }
        if (records == 0) {
            throw new StageFailure("the input " + files + " holds no records (only blank lines)");
        }
        long batches = (records + batchSize - 1) / batchSize;
        long from = shard.from(batches) * batchSize;
        long to = Math.min(records, shard.to(batches) * batchSize);
        List<List<BatchItem>> out = new ArrayList<>();
        List<BatchItem> current = new ArrayList<>();
        long index = 0;
        for (Path f : files) {
            try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                long lineNo = 0;
                for (String line; (line = r.readLine()) != null && index < to; ) {
                    lineNo++;
                    if (line.isBlank()) {
                        continue;
                    }
                    if (index++ < from) {
                        continue;
                    }
                    BatchItem item = new BatchItem(index - 1, f.toString(), lineNo, line);
                    if (item.parse(labels).answers().isEmpty() && needsAnswers) {
                        throw new StageFailure(item.where() + ": no answer to score: give \"answer\" or \"answers\"");
                    }
                    current.add(item);
                    if (current.size() == batchSize) {
                        out.add(current);
                        current = new ArrayList<>();
                    }
                }
            }
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }
}
