package org.rlhf4j.host.filter;

import org.rlhf4j.host.text.RecordText;
import org.rlhf4j.host.text.TextNormalizer;
import org.rlhf4j.host.text.Words;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.util.Map;
import org.pf4j.Extension;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.data.FilterDecision;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.data.RecordFilter;

/**
 * The Gopher repetition rules (Rae et al. 2021, table A1; datatrove's GopherRepetitionFilter): the share
 * of duplicated lines and paragraphs (by count and by characters), the character share of the most
 * frequent 2-, 3- and 4-gram, and the character share of duplicated 5- to 10-grams. In Chinese text the
 * n-grams are of characters (each character is a word, {@link Words}). N-grams are compared by 64-bit
 * hashes of their words, which changes nothing but speed.
 */
@Extension
@ExtensionName("gopher-repetition")
public final class GopherRepetition implements RecordFilter {


    record RepetitionSettings(double dupLineFrac, double dupParaFrac, double dupLineCharFrac, double dupParaCharFrac,
                              Map<Integer, Double> topNgrams, Map<Integer, Double> dupNgrams) {
        static RepetitionSettings from(Config c) {
            return new RepetitionSettings(c.getDouble("dup-line-frac"), c.getDouble("dup-para-frac"),
                    c.getDouble("dup-line-char-frac"), c.getDouble("dup-para-char-frac"),
                    ngramMap(c, "top-ngram-char-frac"), ngramMap(c, "dup-ngram-char-frac"));
        }

        private static Map<Integer, Double> ngramMap(Config c, String key) {
            Map<Integer, Double> m = new java.util.TreeMap<>();
            for (String k : c.getConfig(key).root().keySet()) {
                try {
                    m.put(Integer.parseInt(k), c.getConfig(key).getDouble("\"" + k + "\""));
                } catch (NumberFormatException e) {
                    throw new ConfigProblem(c, key, "keys must be n-gram sizes (2, 3 ...), got '" + k + "'");
                }
            }
            return m;
        }
    }

    private static final ThreadLocal<LongCounter> COUNTS = ThreadLocal.withInitial(LongCounter::new);

    private final RepetitionSettings s;

    @Inject
    public GopherRepetition(@Settings Config settings) {
        this.s = RepetitionSettings.from(settings);
    }

    @Override
    public FilterDecision apply(Record record) {
        String reason = check(RecordText.of(record).strip());
        return reason == null ? FilterDecision.keep(record) : FilterDecision.drop(record, reason);
    }

    private String check(String text) {
        if (text.isEmpty()) {
            return null;
        }
        double len = text.length();
        LongCounter counts = COUNTS.get();
        long[] d = duplicates(text, counts);
        if ((double) d[0] / d[2] > s.dupParaFrac()) {
            return "gopher-dup-para-frac: " + d[0] + " of " + d[2] + " paragraphs repeat";
        }
        if (d[1] / len > s.dupParaCharFrac()) {
            return String.format("gopher-dup-para-char-frac: %.2f of chars in repeated paragraphs", d[1] / len);
        }
        if ((double) d[3] / d[5] > s.dupLineFrac()) {
            return "gopher-dup-line-frac: " + d[3] + " of " + d[5] + " lines repeat";
        }
        if (d[4] / len > s.dupLineCharFrac()) {
            return String.format("gopher-dup-line-char-frac: %.2f of chars in repeated lines", d[4] / len);
        }
        Tokens t = Tokens.of(text);
        int n = t.count;
        long[] hashes = t.hash;
        int[] prefix = new int[n + 1];
        long[] poly = new long[n + 1];
        for (int i = 0; i < n; i++) {
            prefix[i + 1] = prefix[i] + t.length(i);
            poly[i + 1] = poly[i] * BASE + hashes[i];
        }
        // No repeated k-gram means no repeated longer n-gram (it would repeat its first k words): from the first
        // such k on, every count below is 0, and a pass can only find what a threshold under 0 would reject.
        int noRepeatsFrom = Integer.MAX_VALUE;
        for (Map.Entry<Integer, Double> e : s.topNgrams().entrySet()) {
            int k = e.getKey();
            if (k >= noRepeatsFrom && e.getValue() >= 0) {
                continue;
            }
            counts.clear(n);
            long best = 0;
            boolean repeats = false;
            for (int i = 0; i + k <= n; i++) {
                int c = counts.increment(ngram(poly, i, k));
                if (c > 1) {
                    // " ".join of the n-gram, times its count (datatrove's find_top_duplicate)
                    best = Math.max(best, (long) (prefix[i + k] - prefix[i] + k - 1) * c);
                    repeats = true;
                }
            }
            if (!repeats) {
                noRepeatsFrom = Math.min(noRepeatsFrom, k);
            }
            if (best / len > e.getValue()) {
                return String.format("gopher-top-%d-gram: %.2f of chars in the most frequent %d-gram > %s", k, best / len, k, e.getValue());
            }
        }
        for (Map.Entry<Integer, Double> e : s.dupNgrams().entrySet()) {
            int k = e.getKey();
            if (k >= noRepeatsFrom && e.getValue() >= 0) {
                continue;
            }
            counts.clear(n);
            long repeated = 0;
            int i = 0;
            while (i + k <= n) {
                if (counts.increment(ngram(poly, i, k)) > 1) {
                    repeated += prefix[i + k] - prefix[i];
                    i += k;
                } else {
                    i++;
                }
            }
            if (repeated == 0) {
                noRepeatsFrom = Math.min(noRepeatsFrom, k);
            }
            if (repeated / len > e.getValue()) {
                return String.format("gopher-duplicated-%d-grams: %.2f of chars > %s", k, repeated / len, e.getValue());
            }
        }
        return null;
    }

    /** The odd base of the polynomial hash over word hashes. */
    private static final long BASE = 0x9E3779B97F4A7C15L;
    private static final long[] POWERS = new long[64];

    static {
        POWERS[0] = 1;
        for (int i = 1; i < POWERS.length; i++) {
            POWERS[i] = POWERS[i - 1] * BASE;
        }
    }

    /** The hash of the k words from {@code from}: a rolling polynomial hash (mod 2^64), mixed. */
    private static long ngram(long[] poly, int from, int k) {
        return TextNormalizer.mix(poly[from + k] - poly[from] * POWERS[k] + k);
    }

    /**
     * Repeated paragraphs and lines (datatrove's find_duplicates) in one pass over a stripped text: the count and
     * total length of the paragraphs equal to an earlier one and the number of paragraphs, then the same for lines
     * ({@code [paragraphs repeated, their chars, paragraphs, lines repeated, their chars, lines]}). Lines are what
     * splitting at {@code \n+} gives, paragraphs what splitting at {@code \n{2,}} gives: runs of lines joined by
     * single line feeds, so two paragraphs are equal when their lines are. Lines are compared by 64-bit hashes of
     * their characters, paragraphs by a hash of their lines' hashes, in one table (salted apart).
     */
    static long[] duplicates(String text, LongCounter counts) {
        counts.clear(64);
        long[] d = new long[6];
        int n = text.length();
        int paragraphStart = 0;
        long paragraph = PARAGRAPH_SEED;
        for (int start = 0; start < n; ) {
            int end = text.indexOf('\n', start);
            end = end < 0 ? n : end;
            int run = 0;
            while (end + run < n && text.charAt(end + run) == '\n') {
                run++;
            }
            long line = TextNormalizer.hash64(text, start, end);
            d[5]++;
            if (counts.increment(line) > 1) {
                d[3]++;
                d[4] += end - start;
            }
            paragraph = TextNormalizer.mix(paragraph * 31 + line);
            if (run != 1) {
                d[2]++;
                if (counts.increment(paragraph ^ PARAGRAPH_SEED) > 1) {
                    d[0]++;
                    d[1] += end - paragraphStart;
                }
                paragraph = PARAGRAPH_SEED;
                paragraphStart = end + run;
            }
            start = end + run;
        }
        return d;
    }

    private static final long PARAGRAPH_SEED = 0x2545F4914F6CDD1DL;
}
