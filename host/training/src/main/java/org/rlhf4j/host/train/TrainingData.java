package org.rlhf4j.host.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rlhf4j.api.data.Message;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.stage.StageContext;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.records.RecordJsonl;

/** Reads what the training stages learn from: documents for pretraining, conversations for SFT. */
public final class TrainingData {

    private TrainingData() {
    }

    /**
     * The files a stage reads: {@code files} when given (relative to the working directory), else the
     * run-relative {@code input} an earlier stage wrote; none when {@code input} is empty (the stage reads only its
     * {@code sources}).
     */
    public static List<Path> inputs(StageContext ctx, String input, List<String> files) {
        if (files.isEmpty()) {
            return input.isBlank() ? List.of() : List.of(ctx.input(input));
        }
        List<Path> out = new ArrayList<>();
        for (String f : files) {
            Path p = Path.of(f);
            if (!Files.isRegularFile(p)) {
                throw new StageFailure("stage " + ctx.stage() + ": input file " + p.toAbsolutePath() + " does not exist");
            }
            out.add(p);
        }
        return out;
    }

    /** The texts of DOCUMENT records in .jsonl files, and whole .txt files as one document each (maybe none). */
    public static List<String> documents(List<Path> files) {
        List<String> docs = new ArrayList<>();
        for (Path f : files) {
            if (f.toString().endsWith(".jsonl")) {
                RecordJsonl.read(f, r -> {
                    if (r.kind() == Record.Kind.DOCUMENT && !r.text().isEmpty()) {
                        docs.add(r.text());
                    }
                });
            } else {
                try {
                    docs.add(Files.readString(f, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new StageFailure("cannot read " + f + ": " + e.getMessage(), e);
                }
            }
        }
        return docs;
    }

    /** The messages of the CONVERSATION records that hold at least one assistant turn. */
    public static List<List<Message>> conversations(List<Record> records, String stage) {
        List<List<Message>> out = new ArrayList<>();
        for (Record r : records) {
            if (r.kind() == Record.Kind.CONVERSATION && r.messages().stream().anyMatch(m -> m.role() == Message.Role.ASSISTANT)) {
                out.add(r.messages());
            }
        }
        if (out.isEmpty()) {
            throw new StageFailure("stage " + stage + ": no conversation records with an assistant turn among the "
                    + records.size() + " records of its input, files and sources");
        }
        return out;
    }
}
