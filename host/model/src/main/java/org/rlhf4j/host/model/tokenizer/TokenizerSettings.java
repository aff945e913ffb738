package org.rlhf4j.host.model.tokenizer;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.rlhf4j.api.ConfigProblem;

/**
 * The {@code tokenizer} block: which tokenizer a pretraining run builds, or which one it loads.
 *
 * @param type {@code bpe} (byte-level BPE) or {@code char}
 * @param vocabSize ids in all for {@code bpe}: 256 bytes + merges + 4 specials
 * @param path a {@code tokenizer.json} to load instead of training one; empty to train
 * @param trainingChars at most this many characters of the corpus are read to learn the merges
 */
public record TokenizerSettings(String type, int vocabSize, String path, long trainingChars) {

    public static TokenizerSettings from(Config c) {
        TokenizerSettings s = new TokenizerSettings(c.getString("type"), c.getInt("vocab-size"), c.getString("path"),
                c.getLong("training-chars"));
        if (!s.type.equals("bpe") && !s.type.equals("char")) {
            throw new ConfigProblem(c, "type", "must be bpe or char, got '" + s.type + "'");
        }
        if (s.type.equals("bpe") && s.vocabSize < 256 + SpecialTokens.DEFAULT.size()) {
            throw new ConfigProblem(c, "vocab-size", "a byte-level BPE needs at least " + (256 + SpecialTokens.DEFAULT.size()));
        }
        ChatTemplate.from(c);   // a wrong template fails before any stage runs
        return s;
    }

    /** Loads {@link #path} when set, else learns a tokenizer from {@code corpus}. */
    public Tokenizer build(List<String> corpus) throws IOException {
        if (!path.isBlank()) {
            return TokenizerJson.read(Path.of(path));
        }
        if (type.equals("char")) {
            return CharTokenizer.of(corpus);
        }
        BpeTrainer trainer = new BpeTrainer();
        long left = trainingChars;
        for (String text : corpus) {
            if (left <= 0) {
                break;
            }
            String part = text.length() > left ? text.substring(0, (int) left) : text;
            trainer.add(part);
            left -= part.length();
        }
        return trainer.train(vocabSize);
    }
}
