package org.rlhf4j.host.reward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.rlhf4j.api.reward.PairBatch;
import org.rlhf4j.host.model.Gpt;

/**
 * Runs chosen and rejected sequences of a batch through a scored model in one forward pass (2P rows,
 * right-padded with the end-of-text id) and packs the result as the api's {@link PairBatch}.
 */
final class PairTensors {

    private PairTensors() {
    }

    /** Forward pass of {@code pairs} in {@code m}; {@code training} turns dropout on. */
    static PairBatch forward(Gpt model, List<PreferenceData.Pair> pairs, int pad, NDManager m, boolean training) {
        int p = pairs.size();
        int len = 0;
        for (PreferenceData.Pair pair : pairs) {
            len = Math.max(len, Math.max(pair.chosen().length, pair.rejected().length));
        }
        long[] ids = new long[2 * p * len];
        float[] mask = new float[2 * p * len];
        java.util.Arrays.fill(ids, pad);
        for (int i = 0; i < p; i++) {
            put(pairs.get(i).chosen(), ids, mask, i * len);
            put(pairs.get(i).rejected(), ids, mask, (p + i) * len);
        }
        NDArray all = m.create(ids, new Shape(2L * p, len));                          // (2P, T)
        NDArray allMask = m.create(mask, new Shape(2L * p, len));                     // (2P, T)
        NDArray values = model.values(model.hidden(all, null, null, training));       // (2P, T)
        NDArray chosenSigns = signs(pairs, true, m);
        NDArray rejectedSigns = signs(pairs, false, m);
        return new PairBatch(all.get("0:{}", p), all.get("{}:", p), values.get("0:{}", p), values.get("{}:", p),
                allMask.get("0:{}", p), allMask.get("{}:", p), chosenSigns, rejectedSigns);
    }

    private static void put(int[] seq, long[] ids, float[] mask, int offset) {
        for (int t = 0; t < seq.length; t++) {
            ids[offset + t] = seq[t];
            mask[offset + t] = 1f;
        }
    }

    /** +1 for unsafe, -1 for safe, or null when any answer of the batch is unlabelled. */
    private static NDArray signs(List<PreferenceData.Pair> pairs, boolean chosen, NDManager m) {
        float[] s = new float[pairs.size()];
        for (int i = 0; i < s.length; i++) {
            Boolean safe = chosen ? pairs.get(i).chosenSafe() : pairs.get(i).rejectedSafe();
            if (safe == null) {
                return null;
            }
            s[i] = safe ? -1f : 1f;
        }
        return m.create(s);
    }
}
