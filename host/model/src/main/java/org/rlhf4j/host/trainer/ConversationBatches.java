package org.rlhf4j.host.trainer;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.rlhf4j.host.model.tokenizer.ChatTemplate;

/**
 * SFT batches: whole conversations drawn at random, right-padded to the longest in the batch, with a loss
 * mask that is 1 exactly where the target token is part of an assistant answer (every turn of a
 * multi-turn conversation). Conversations longer than the context are cut at its end.
 */
public final class ConversationBatches implements Batches {

    private final List<ChatTemplate.Encoded> conversations;
    private final int rows;
    private final int context;
    private final int pad;

    public ConversationBatches(List<ChatTemplate.Encoded> conversations, int rows, int context, int pad) {
        if (conversations.isEmpty()) {
            throw new IllegalArgumentException("no conversations to train on");
        }
        this.conversations = conversations;
        this.rows = rows;
        this.context = context;
        this.pad = pad;
    }

    @Override
    public Batch next(SplittableRandom rng) {
        ChatTemplate.Encoded[] picked = new ChatTemplate.Encoded[rows];
        for (int b = 0; b < rows; b++) {
            picked[b] = conversations.get(rng.nextInt(conversations.size()));
        }
        return batch(picked);
    }

    /** The batch of exactly these conversations, in order (validation walks the set with it). */
    public Batch batch(ChatTemplate.Encoded... picked) {
        int length = 1;
        for (ChatTemplate.Encoded c : picked) {
            length = Math.max(length, Math.min(context, c.ids().length - 1));
        }
        long[] x = new long[picked.length * length];
        long[] y = new long[picked.length * length];
        float[] mask = new float[picked.length * length];
        Arrays.fill(x, pad);
        Arrays.fill(y, pad);
        for (int b = 0; b < picked.length; b++) {
            int[] ids = picked[b].ids();
            boolean[] trained = picked[b].trained();
            for (int t = 0; t < Math.min(length, ids.length - 1); t++) {
                x[b * length + t] = ids[t];
                y[b * length + t] = ids[t + 1];
                mask[b * length + t] = trained[t + 1] ? 1 : 0;
            }
        }
        return new Batch(picked.length, length, x, y, mask);
    }

    /** Every conversation once, in order, {@code rows} at a time (the last batch may be smaller). */
    public List<Batch> all() {
        java.util.ArrayList<Batch> out = new java.util.ArrayList<>();
        for (int i = 0; i < conversations.size(); i += rows) {
            out.add(batch(conversations.subList(i, Math.min(conversations.size(), i + rows)).toArray(new ChatTemplate.Encoded[0])));
        }
        return out;
    }
}
