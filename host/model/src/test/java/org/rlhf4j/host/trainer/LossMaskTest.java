package org.rlhf4j.host.trainer;


import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.data.Message;
import org.rlhf4j.host.model.tokenizer.CharTokenizer;
import org.rlhf4j.host.model.tokenizer.ChatTemplate;
import org.rlhf4j.host.model.tokenizer.Tokenizer;

/** SFT's loss counts assistant tokens only. */
class LossMaskTest {

    @Test
    void theMaskedLossIsTheMeanOverMaskedPositionsOnly() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.randomNormal(new Shape(2, 3, 5));
            NDArray targets = m.create(new long[] {1, 2, 3, 4, 0, 1}, new Shape(2, 3));
            float[] mask = {0, 1, 1, 0, 0, 1};
            float got = LanguageModelLoss.crossEntropy(logits, targets, m.create(mask, new Shape(2, 3))).getFloat();
            float[] lp = LanguageModelLoss.tokenLogProbs(logits, targets).toFloatArray();
            assertEquals(-(lp[1] + lp[2] + lp[5]) / 3, got, 1e-6f);
            // a different target where the mask is 0 changes nothing
            NDArray other = m.create(new long[] {4, 2, 3, 0, 3, 1}, new Shape(2, 3));
            assertEquals(got, LanguageModelLoss.crossEntropy(logits, other, m.create(mask, new Shape(2, 3))).getFloat(), 0f);
        }
    }

    @Test
    void batchesMaskEveryAnswerOfAMultiTurnConversationAndNothingElse() {
        ChatTemplate t = new ChatTemplate("chat", "", "<|system|>{text}", "<|user|>{text}", "<|assistant|>{text}<|endoftext|>");
        List<Message> conv = List.of(Message.user("hi"), Message.assistant("yo"), Message.user("ok?"), Message.assistant("ok"));
        Tokenizer tok = CharTokenizer.of(List.of("hiyook?"));
        ChatTemplate.Encoded e = t.encode(tok, conv);
        Batch b = new ConversationBatches(List.of(e), 1, 64, tok.eosId()).batch(e, e);
        StringBuilder counted = new StringBuilder();
        for (int i = 0; i < b.length(); i++) {
            if (b.lossMask()[i] > 0) {
                counted.append(tok.decode(new int[] {(int) b.targets()[i]}));
            }
        }
        assertEquals("yo<|endoftext|>ok<|endoftext|>", counted.toString());
        assertEquals(2 * 6, b.countedTokens());
    }
}
