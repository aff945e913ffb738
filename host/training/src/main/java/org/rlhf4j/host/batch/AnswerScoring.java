package org.rlhf4j.host.batch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rlhf4j.api.data.Message;
import org.rlhf4j.host.model.HfCheckpoint;
import org.rlhf4j.host.model.tokenizer.ChatTemplate;
import org.rlhf4j.host.reward.LearnedRewardModel;
import org.rlhf4j.host.trainer.LanguageModelLoss;

/**
 * The forward passes of batch scoring over (prompt turns, answer) rows rendered with the chat template: a reward or
 * cost model's last-token score, and a language model's negative log-likelihood of the answer's tokens (the tokens
 * SFT trains on: the answer and its end marker). Sequences longer than the context keep their end.
 */
final class AnswerScoring {

    /** One row: the prompt turns and an answer. */
    record Row(List<Message> prompt, String answer) {
        List<Message> conversation() {
            List<Message> c = new ArrayList<>(prompt);
            c.add(Message.assistant(answer));
            return c;
        }
    }

    /** Negative log-likelihood of one answer, summed over its {@code tokens} tokens. */
    record Likelihood(double nll, int tokens) {
    }

    private AnswerScoring() {
    }

    /** The score-head value at each row's last token (the checkpoint must have a score head). */
    static float[] scores(HfCheckpoint.Loaded m, ChatTemplate template, List<Row> rows) {
        int context = m.model().config().context();
        List<int[]> seqs = new ArrayList<>();
        for (Row r : rows) {
            int[] ids = template.encode(m.tokenizer(), r.conversation()).ids();
            seqs.add(ids.length <= context ? ids : Arrays.copyOfRange(ids, ids.length - context, ids.length));
        }
        return LearnedRewardModel.scores(m.model(), seqs, m.tokenizer().eosId());
    }

    /** Each row's answer likelihood under the language model {@code m}, in one forward pass over right-padded rows. */
    static List<Likelihood> likelihoods(HfCheckpoint.Loaded m, ChatTemplate template, List<Row> rows) {
        int keep = m.model().config().context() + 1;               // inputs ids[0 .. n-2] predict ids[1 .. n-1]
        List<ChatTemplate.Encoded> enc = new ArrayList<>();
        int len = 2;
        for (Row r : rows) {
            ChatTemplate.Encoded e = template.encode(m.tokenizer(), r.conversation());
            if (e.ids().length > keep) {
                int from = e.ids().length - keep;
                e = new ChatTemplate.Encoded(Arrays.copyOfRange(e.ids(), from, e.ids().length),
                        Arrays.copyOfRange(e.trained(), from, e.trained().length));
            }
            enc.add(e);
            len = Math.max(len, e.ids().length);
        }
        int t = len - 1;
        int pad = m.tokenizer().eosId();
        long[] inputs = new long[rows.size() * t];
        long[] targets = new long[rows.size() * t];
        float[] mask = new float[rows.size() * t];
        int[] counts = new int[rows.size()];
        Arrays.fill(inputs, pad);
        Arrays.fill(targets, pad);
        for (int b = 0; b < rows.size(); b++) {
            ChatTemplate.Encoded e = enc.get(b);
            for (int j = 0; j + 1 < e.ids().length; j++) {
                inputs[b * t + j] = e.ids()[j];
                targets[b * t + j] = e.ids()[j + 1];
                if (e.trained()[j + 1]) {
                    mask[b * t + j] = 1f;
                    counts[b]++;
                }
            }
        }
        float[] sums;
        try (NDManager s = m.model().manager().newSubManager()) {
            Shape shape = new Shape(rows.size(), t);
            NDArray x = s.create(inputs, shape);                                                    // (R, T-1)
            NDArray logits = m.model().logits(m.model().hidden(x, null, null, false));            // (R, T-1, V)
            sums = LanguageModelLoss.tokenLogProbs(logits, s.create(targets, shape))              // (R, T-1)
                    .mul(s.create(mask, shape)).sum(new int[] {1}).toFloatArray();               // (R)
        }
        List<Likelihood> out = new ArrayList<>();
        for (int b = 0; b < rows.size(); b++) {
            out.add(new Likelihood(-sums[b], counts[b]));
        }
        return out;
    }
}
