package org.rlhf4j.host.text;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * MinHash signatures with LSH banding, as datatrove's MinhashDedupSignature computes them: the text in
 * dedup form is cut into shingles (word n-grams, or character n-grams for Chinese and Japanese, which
 * have no spaces), each shingle is hashed, and for each of {@code bands * rows} hash functions the
 * minimum is kept; each band's {@code rows} minima are folded into one bucket key. Two texts share a
 * bucket in some band with probability {@code 1 - (1 - J^rows)^bands} for Jaccard similarity J
 * (14 x 8: 50% at J = 0.72, as datatrove documents).
 */
public final class MinHasher {

    /** How a text is cut into tokens before n-grams are formed. */
    public enum Tokens { AUTO, WORDS, CHARS }

    private final int bands;
    private final int rows;
    private final int wordNgram;
    private final int charNgram;
    private final Tokens tokens;
    private final double cjkThreshold;
    private final long[] seeds;

    public MinHasher(int bands, int rows, int wordNgram, int charNgram, Tokens tokens, double cjkThreshold, long seed) {
        this.bands = bands;
        this.rows = rows;
        this.wordNgram = wordNgram;
        this.charNgram = charNgram;
        this.tokens = tokens;
        this.cjkThreshold = cjkThreshold;
        SplittableRandom random = new SplittableRandom(seed);
        this.seeds = new long[bands * rows];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = random.nextLong();
        }
    }

    public int bands() {
        return bands;
    }

    /** The distinct shingle hashes of a text, sorted (empty for a text with no tokens). */
    public long[] shingles(String text) {
        String norm = TextNormalizer.forDedup(text);
        boolean chars = tokens == Tokens.CHARS || tokens == Tokens.AUTO && Words.cjkShare(norm) >= cjkThreshold;
        long[] tokenHashes;
        int n;
        if (chars) {
            int[] cps = norm.codePoints().toArray();
            tokenHashes = new long[cps.length];
            for (int i = 0; i < cps.length; i++) {
                tokenHashes[i] = TextNormalizer.mix(cps[i] + 0x9E3779B97F4A7C15L);
            }
            n = charNgram;
        } else {
            List<String> words = Words.split(norm);
            tokenHashes = new long[words.size()];
            for (int i = 0; i < tokenHashes.length; i++) {
                tokenHashes[i] = TextNormalizer.hash64(words.get(i));
            }
            n = wordNgram;
        }
        if (tokenHashes.length == 0) {
            return new long[0];
        }
        int count = Math.max(1, tokenHashes.length - n + 1);
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            long h = 0x2545F4914F6CDD1DL;
            for (int j = i; j < Math.min(tokenHashes.length, i + n); j++) {
                h = TextNormalizer.mix(h ^ tokenHashes[j]) * 31;
            }
            out[i] = h;
        }
        Arrays.sort(out);
        int unique = 0;
        for (int i = 0; i < out.length; i++) {
            if (i == 0 || out[i] != out[i - 1]) {
                out[unique++] = out[i];
            }
        }
        return Arrays.copyOf(out, unique);
    }

    /** One bucket key per band, from a text's shingles (null when it has none). */
    public long[] bandKeys(long[] shingles) {
        if (shingles.length == 0) {
            return null;
        }
        long[] mins = new long[seeds.length];
        Arrays.fill(mins, Long.MAX_VALUE);
        for (long s : shingles) {
            for (int i = 0; i < seeds.length; i++) {
                long h = TextNormalizer.mix(s ^ seeds[i]);
                if (h < mins[i]) {
                    mins[i] = h;
                }
            }
        }
        long[] keys = new long[bands];
        for (int b = 0; b < bands; b++) {
            long h = b;
            for (int r = 0; r < rows; r++) {
                h = TextNormalizer.mix(h * 0x9E3779B97F4A7C15L + mins[b * rows + r]);
            }
            keys[b] = h;
        }
        return keys;
    }

    /** The Jaccard similarity of two sorted, distinct shingle sets. */
    public static double jaccard(long[] a, long[] b) {
        int i = 0;
        int j = 0;
        int common = 0;
        while (i < a.length && j < b.length) {
            if (a[i] == b[j]) {
                common++;
                i++;
                j++;
            } else if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        int union = a.length + b.length - common;
        return union == 0 ? 1 : (double) common / union;
    }
}
