package org.rlhf4j.host.classify;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.rlhf4j.host.text.TextNormalizer;
import org.rlhf4j.host.text.Words;

/**
 * Text to a sparse feature vector by the hashing trick: word unigrams and bigrams (for Chinese,
 * character unigrams and bigrams, since each character is a word) after NFKC and lower-casing, hashed
 * into {@code 2^bits} buckets, weighted {@code log(1 + count)} and scaled to unit length. Only the
 * first {@code maxChars} characters are read.
 */
public final class HashedFeatures {

    /** A sparse vector: sorted distinct indices and their values. */
    public record Vector(int[] index, float[] value) {
    }

    private final int mask;
    private final int maxChars;

    public HashedFeatures(int bits, int maxChars) {
        this.mask = (1 << bits) - 1;
        this.maxChars = maxChars;
    }

    public int dimensions() {
        return mask + 1;
    }

    /** Buckets 1..mask; 0 is the bias. */
    private int bucket(long h) {
        return 1 + (int) Long.remainderUnsigned(h, mask);
    }

    public Vector of(String text) {
        String t = text.length() > maxChars ? text.substring(0, maxChars) : text;
        t = Normalizer.normalize(t, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        List<String> words = Words.split(t);
        int[] idx = new int[words.size() * 2 + 1];
        int n = 0;
        idx[n++] = 0; // a constant feature: the bias
        long prev = 0;
        for (int i = 0; i < words.size(); i++) {
            long h = TextNormalizer.hash64(words.get(i));
            idx[n++] = bucket(h);
            if (i > 0) {
                idx[n++] = bucket(TextNormalizer.mix(prev * 31 + h));
            }
            prev = h;
        }
        Arrays.sort(idx, 0, n);
        int[] outIdx = new int[n];
        float[] outVal = new float[n];
        int m = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j < n && idx[j] == idx[i]) {
                j++;
            }
            outIdx[m] = idx[i];
            outVal[m] = (float) Math.log1p(j - i);
            m++;
            i = j;
        }
        double norm = 0;
        for (int i = 0; i < m; i++) {
            norm += outVal[i] * outVal[i];
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < m; i++) {
            outVal[i] *= scale;
        }
        return new Vector(Arrays.copyOf(outIdx, m), Arrays.copyOf(outVal, m));
    }
}
