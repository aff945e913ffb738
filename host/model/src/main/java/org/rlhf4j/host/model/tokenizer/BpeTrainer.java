package org.rlhf4j.host.model.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * Learns byte-level BPE merges from a corpus: count the corpus's words (GPT-2's pattern), start from their
 * bytes, and repeatedly join the most frequent adjacent pair (ties: the smallest pair of ids) until the
 * vocabulary reaches its size or no pair occurs twice. Pair counts are updated only for the words a merge
 * touches, so training on a few megabytes takes seconds.
 */
public final class BpeTrainer {

    private final Map<String, Long> wordCounts = new HashMap<>();

    /** Adds one text (special tokens in it are skipped, never learned from). */
    public void add(String text) {
        SpecialTokens specials = SpecialTokens.startingAt(0);
        specials.split(text, piece -> {
            Matcher m = ByteLevelBpe.WORDS.matcher(piece);
            while (m.find()) {
                wordCounts.merge(m.group(), 1L, Long::sum);
            }
        }, id -> { });
    }

    /**
     * The tokenizer with {@code vocabSize} ids in all: 256 bytes, the merges, then the default specials.
     */
    public ByteLevelBpe train(int vocabSize) {
        int specials = SpecialTokens.DEFAULT.size();
        if (vocabSize < 256 + specials) {
            throw new IllegalArgumentException("a byte-level BPE vocabulary needs at least " + (256 + specials) + " ids, got " + vocabSize);
        }
        List<String> tokens = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            tokens.add(String.valueOf(ByteLevelBpe.BYTE_CHAR[b]));
        }
        List<int[]> words = new ArrayList<>();
        List<Long> freq = new ArrayList<>();
        wordCounts.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            byte[] bytes = e.getKey().getBytes(StandardCharsets.UTF_8);
            int[] w = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                w[i] = bytes[i] & 0xff;
            }
            words.add(w);
            freq.add(e.getValue());
        });
        Map<Long, Long> pairCount = new HashMap<>();
        Map<Long, Set<Integer>> pairWords = new HashMap<>();
        for (int wi = 0; wi < words.size(); wi++) {
            count(words.get(wi), wi, freq.get(wi), pairCount, pairWords);
        }
        List<String[]> merges = new ArrayList<>();
        while (tokens.size() < vocabSize - specials) {
            long best = 0;
            long bestCount = 1;
            for (Map.Entry<Long, Long> e : pairCount.entrySet()) {
                long c = e.getValue();
                if (c > bestCount || (c == bestCount && c > 1 && Long.compareUnsigned(e.getKey(), best) < 0)) {
                    best = e.getKey();
                    bestCount = c;
                }
            }
            if (bestCount < 2) {
                break;
            }
            int a = (int) (best >>> 32);
            int b = (int) best;
            int merged = tokens.size();
            tokens.add(tokens.get(a) + tokens.get(b));
            merges.add(new String[] {tokens.get(a), tokens.get(b)});
            for (int wi : new ArrayList<>(pairWords.getOrDefault(best, Set.of()))) {
                int[] w = words.get(wi);
                count(w, wi, -freq.get(wi), pairCount, pairWords);
                int[] nw = apply(w, a, b, merged);
                words.set(wi, nw);
                count(nw, wi, freq.get(wi), pairCount, pairWords);
            }
            pairWords.remove(best);
        }
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            vocab.put(tokens.get(i), i);
        }
        return new ByteLevelBpe(vocab, merges, SpecialTokens.startingAt(tokens.size()));
    }

    private static int[] apply(int[] w, int a, int b, int merged) {
        int[] out = new int[w.length];
        int n = 0;
        for (int i = 0; i < w.length; i++) {
            if (i + 1 < w.length && w[i] == a && w[i + 1] == b) {
                out[n++] = merged;
                i++;
            } else {
                out[n++] = w[i];
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** Adds {@code delta} occurrences of every adjacent pair of word {@code wi}. */
    private static void count(int[] w, int wi, long delta, Map<Long, Long> pairCount, Map<Long, Set<Integer>> pairWords) {
        for (int i = 0; i + 1 < w.length; i++) {
            long p = ByteLevelBpe.pair(w[i], w[i + 1]);
            long c = pairCount.merge(p, delta, Long::sum);
            if (c == 0) {
                pairCount.remove(p);
            }
            if (delta > 0) {
                pairWords.computeIfAbsent(p, k -> new HashSet<>()).add(wi);
            }
        }
    }
}
