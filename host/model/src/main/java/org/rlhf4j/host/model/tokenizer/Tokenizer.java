package org.rlhf4j.host.model.tokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Text to token ids and back. Special tokens ({@link SpecialTokens}) written literally in the text, such as
 * {@code <|endoftext|>} or a chat role marker, encode to their own id and are never split.
 *
 * <p>Two kinds: {@link ByteLevelBpe} (GPT-2's byte-level BPE, trained from the corpus; any text round-trips)
 * and {@link CharTokenizer} (one token per character, for small benchmarks). Both save as a Hugging Face
 * {@code tokenizer.json} and load back through {@link TokenizerJson#read}.
 */
public interface Tokenizer {

    /** The ids of {@code text}. */
    int[] encode(String text);

    /** The text of {@code ids}; special tokens come back as their literal strings. */
    String decode(int[] ids);

    /** The number of ids (the model's vocabulary size). */
    int vocabSize();

    /** The special tokens and their ids. */
    SpecialTokens specials();

    /** The end-of-text id: separates documents, ends every assistant answer, pads batches. */
    default int eosId() {
        return specials().id(SpecialTokens.END_OF_TEXT);
    }

    /** Writes this tokenizer as a Hugging Face {@code tokenizer.json}. */
    void save(Path file) throws IOException;

    /** The ids of {@code text}, as a list. */
    default List<Integer> encodeList(String text) {
        return java.util.Arrays.stream(encode(text)).boxed().toList();
    }
}
