package org.rlhf4j.host.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Byte-level BPE and char tokenizers: exact round trips, specials, tokenizer.json. */
class TokenizerTest {

    static final List<String> CORPUS = List.of(
            "The quick brown fox jumps over the lazy dog. The dog sleeps; the fox runs away!",
            "机器学习是人工智能的一个分支。机器学习让计算机从数据中学习。人工智能很有趣。",
            "Human: 你好 Assistant: Hello! 😀 How can I help you today? 🎉🎉",
            "def train(model, data):\n    for step in range(1000):\n        loss = model(data)\n");

    static final List<String> MIXED = List.of(
            "Hello, 世界! 😀👍🏽 naïve café — «quotes» 1234567890",
            "机器学习 machine learning 🤖 emoji 👨‍👩‍👧‍👦 family, 日本語テキスト, 한국어",
            "tabs\tand\nnewlines\r\n   spaces   ",
            "",
            "never seen: ∮ E⋅da = Q,  n → ∞, 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \u0000\u007f");

    static ByteLevelBpe bpe(int size) {
        BpeTrainer trainer = new BpeTrainer();
        CORPUS.forEach(trainer::add);
        return trainer.train(size);
    }

    @Test
    void byteLevelBpeRoundTripsMixedScriptsAndEmoji() {
        ByteLevelBpe t = bpe(400);
        for (String s : MIXED) {
            assertEquals(s, t.decode(t.encode(s)));
        }
        for (String s : CORPUS) {
            assertEquals(s, t.decode(t.encode(s)));
            assertTrue(t.encode(s).length < s.getBytes(StandardCharsets.UTF_8).length, "merges must compress: " + s);
        }
    }

    @Test
    void specialTokensAreSingleIdsAndNeverLearned() {
        ByteLevelBpe t = bpe(400);
        int[] ids = t.encode("hi<|endoftext|><|user|>你好<|assistant|>");
        assertEquals(t.eosId(), ids[2]);
        assertEquals(t.specials().id(SpecialTokens.USER), ids[3]);
        assertEquals(t.specials().id(SpecialTokens.ASSISTANT), ids[ids.length - 1]);
        assertEquals("hi<|endoftext|><|user|>你好<|assistant|>", t.decode(ids));
        // a small corpus runs out of pairs seen twice before 400 ids: the specials follow the last merge
        assertTrue(t.vocabSize() > 300 && t.vocabSize() <= 400, "vocabulary " + t.vocabSize());
        assertEquals(t.vocabSize() - 4, t.eosId());
    }

    @Test
    void tokenizerJsonRoundTripsBothKinds(@TempDir Path dir) throws Exception {
        ByteLevelBpe t = bpe(350);
        t.save(dir.resolve("bpe.json"));
        Tokenizer back = TokenizerJson.read(dir.resolve("bpe.json"));
        assertTrue(back instanceof ByteLevelBpe);
        for (String s : MIXED) {
            assertArrayEquals(t.encode(s), back.encode(s));
        }
        CharTokenizer c = CharTokenizer.of(CORPUS);
        c.save(dir.resolve("char.json"));
        Tokenizer cb = TokenizerJson.read(dir.resolve("char.json"));
        assertTrue(cb instanceof CharTokenizer);
        assertArrayEquals(c.encode(CORPUS.get(2)), cb.encode(CORPUS.get(2)));
        assertEquals(c.vocabSize(), cb.vocabSize());
    }

    @Test
    void hfMergesInTheOldStringFormLoadToo(@TempDir Path dir) throws Exception {
        ByteLevelBpe t = bpe(300);
        t.save(dir.resolve("t.json"));
        String json = java.nio.file.Files.readString(dir.resolve("t.json"));
        // ["a", "b"] -> "a b", as GPT-2's original tokenizer.json has them
        String old = json.replaceAll("\\[\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*,\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*]", "\"$1 $2\"");
        java.nio.file.Files.writeString(dir.resolve("old.json"), old);
        assertArrayEquals(t.encode(CORPUS.get(0)), TokenizerJson.read(dir.resolve("old.json")).encode(CORPUS.get(0)));
    }

    @Test
    void charTokenizerRoundTripsItsCharactersAndNamesAnUnknownOne() {
        CharTokenizer c = CharTokenizer.of(CORPUS);
        for (String s : CORPUS) {
            assertEquals(s, c.decode(c.encode(s)));
            assertEquals(s.codePointCount(0, s.length()), c.encode(s).length);
        }
        var e = assertThrows(IllegalArgumentException.class, () -> c.encode("Ω"));
        assertTrue(e.getMessage().contains("U+3A9"), e.getMessage());
    }
}
