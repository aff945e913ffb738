package org.rlhf4j.host.testkit;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rlhf4j.host.model.Gpt;
import org.rlhf4j.host.model.GptConfig;
import org.rlhf4j.host.model.HfCheckpoint;
import org.rlhf4j.host.model.tokenizer.CharTokenizer;

/**
 * Fixtures for tests of stages and batch jobs: a randomly initialised tiny GPT (seeded) saved as a language model and as a reward model,
 * with a character tokenizer over the prompts and the deepspeed chat template, and prompt and answer files.
 */
public final class TinyCheckpoints {

    public static final List<String> PROMPTS = List.of("name a fruit", "say hi", "count to three", "what is red?", "a poem",
            "list two cats", "why is sky blue?");

    private TinyCheckpoints() {
    }

    /** Writes {@code dir}/lm, {@code dir}/reward (score head) for {@link #PROMPTS} and returns {@code dir}. */
    public static Path write(Path dir) throws IOException {
        return write(dir, PROMPTS);
    }

    /** Writes {@code dir}/lm, {@code dir}/reward (score head) with a tokenizer over {@code prompts}; returns {@code dir}. */
    public static Path write(Path dir, List<String> prompts) throws IOException {
        List<String> corpus = new ArrayList<>(prompts);
        corpus.add(" Human:  Assistant: <|endoftext|> abcdefghijklmnopqrstuvwxyz");
        CharTokenizer tok = CharTokenizer.of(corpus);
        GptConfig c = new GptConfig(tok.vocabSize(), 64, 2, 2, 16, 0.0, "gelu_new", 1e-5, 0.2, false);
        try (Gpt lm = Gpt.initialised(c, Device.cpu(), 5); Gpt rm = Gpt.initialised(c.withScoreHead(true), Device.cpu(), 6)) {
            HfCheckpoint.save(lm, tok, dir.resolve("lm"));
            HfCheckpoint.save(rm, tok, dir.resolve("reward"));
        }
        return dir;
    }

    /** Prompt lines: plain {"prompt"} lines, ids from the file and line, and one Record JSONL prompt. */
    public static Path prompts(Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < PROMPTS.size(); i++) {
            lines.add(i == 2 ? "" : "{\"prompt\": \"" + PROMPTS.get(i) + "\", \"category\": \"c" + (i % 2) + "\"}");
        }
        lines.add("{\"id\": \"r1\", \"kind\": \"prompt\", \"text\": \"say hi\", \"meta\": {\"category\": \"open-qa\"}}");
        return Files.write(dir.resolve("prompts.jsonl"), lines);
    }

    /** A run file: the given batch size, short answers, a fixed seed. */
    public static Path config(Path dir, int batchSize) throws IOException {
        return Files.writeString(dir.resolve("batch-" + batchSize + ".conf"), "run { seed = 7, threads = 1 }\n"
                + "batch { batch-size = " + batchSize + ", k = 3, generate { max-new-tokens = 6, temperature = 1.0 } }\n");
    }
}
