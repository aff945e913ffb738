package org.rlhf4j.host.filter;

import org.rlhf4j.host.text.RecordText;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.util.Set;
import org.pf4j.Extension;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.data.FilterDecision;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.data.RecordFilter;

/**
 * The Gopher quality rules (Rae et al. 2021, MassiveText; thresholds as datatrove's GopherQualityFilter):
 * document length in words, mean word length, hash and ellipsis symbol ratios, bullet and
 * ellipsis-ending line ratios, the share of words with a letter, and a minimum number of stop words.
 * Chinese-aware: in a mostly-CJK text each character is a word, the mean-word-length rule does not apply
 * (it measures the spaces English puts between words) and Chinese stop words ({@code stop-words-zh}) count.
 */
@Extension
@ExtensionName("gopher-quality")
public final class GopherQuality implements RecordFilter {

    record GopherSettings(int minWords, int maxWords, double minAvgWordLength, double maxAvgWordLength,
                          double maxSymbolWordRatio, double maxBulletLinesRatio, double maxEllipsisLinesRatio,
                          double minAlphaWordsRatio, int minStopWords, Set<String> stopWords, Set<String> stopWordsZh,
                          double cjkThreshold) {
        static GopherSettings from(Config c) {
            return new GopherSettings(c.getInt("min-words"), c.getInt("max-words"), c.getDouble("min-avg-word-length"),
                    c.getDouble("max-avg-word-length"), c.getDouble("max-symbol-word-ratio"), c.getDouble("max-bullet-lines-ratio"),
                    c.getDouble("max-ellipsis-lines-ratio"), c.getDouble("min-alpha-words-ratio"), c.getInt("min-stop-words"),
                    Set.copyOf(c.getStringList("stop-words")), Set.copyOf(c.getStringList("stop-words-zh")),
                    c.getDouble("cjk-threshold"));
        }
    }

    private final GopherSettings s;
    private final LongCounter stopEn;
    private final LongCounter stopZh;
    /** Bit (hash mod 64) set for each stop word's hash: most words are ruled out without a table lookup. */
    private final long stopMaskEn;
    private final long stopMaskZh;

    @Inject
    public GopherQuality(@Settings Config settings) {
        this.s = GopherSettings.from(settings);
        this.stopEn = hashes(s.stopWords());
        this.stopZh = hashes(s.stopWordsZh());
        this.stopMaskEn = mask(s.stopWords());
        this.stopMaskZh = mask(s.stopWordsZh());
    }

    private static long mask(Set<String> words) {
        long mask = 0;
        for (String w : words) {
            mask |= 1L << Tokens.uncached(w).lowerHash[0];
        }
        return mask;
    }

    /** The lower-case word hashes, as a table to look words up in (only read once built). */
    private static LongCounter hashes(Set<String> words) {
        LongCounter table = new LongCounter();
        table.clear(words.size());
        for (String w : words) {
            table.increment(Tokens.uncached(w).lowerHash[0]);
        }
        return table;
    }

    @Override
    public FilterDecision apply(Record record) {
        String reason = check(RecordText.of(record));
        return reason == null ? FilterDecision.keep(record) : FilterDecision.drop(record, reason);
    }

    private String check(String text) {
        Tokens t = Tokens.of(text);
        boolean cjk = t.cjkShare() >= s.cjkThreshold();
        int n = t.count;
        int real = 0;
        long latinChars = 0;
        int latinWords = 0;
        int alpha = 0;
        int stop = 0;
        LongCounter stops = cjk ? stopZh : stopEn;
        long stopMask = cjk ? stopMaskZh : stopMaskEn;
        for (int i = 0; i < n; i++) {
            if (t.isWord(i)) {
                real++;
                if (!t.isCjk(i)) {
                    latinWords++;
                    latinChars += t.length(i);
                }
            }
            if (t.hasLetter(i)) {
                alpha++;
            }
            long h = t.lowerHash[i];
            if ((stopMask >>> h & 1) != 0 && stops.count(h) > 0) {
                stop++;
            }
        }
        if (n == 0) {
            return "gopher-short-doc: 0 words < " + s.minWords();
        }
        if (real < s.minWords()) {
            return "gopher-short-doc: " + real + " words < " + s.minWords();
        }
        if (real > s.maxWords()) {
            return "gopher-long-doc: " + real + " words > " + s.maxWords();
        }
        if (!cjk && latinWords > 0) {
            double avg = (double) latinChars / latinWords;
            if (avg < s.minAvgWordLength()) {
                return String.format("gopher-below-avg-word-length: %.2f < %s", avg, s.minAvgWordLength());
            }
            if (avg > s.maxAvgWordLength()) {
                return String.format("gopher-above-avg-word-length: %.2f > %s", avg, s.maxAvgWordLength());
            }
        }
        // One pass for the symbol counts and the line rules; "..." is counted without overlaps, as str.count does.
        int hashCount = 0;
        int ellipsisCount = 0;
        int lines = 0;
        int pendingEmpty = 0;
        int bullets = 0;
        int ellipsisLines = 0;
        int length = text.length();
        for (int from = 0; from < length; ) {
            int to = text.indexOf('\n', from);
            to = to < 0 ? length : to;
            for (int i = from; i < to; i++) {
                char c = text.charAt(i);
                if (c == '#' || c == '＃') {
                    hashCount++;
                } else if (c == '…') {
                    ellipsisCount++;
                } else if (c == '.' && i + 2 < to && text.charAt(i + 1) == '.' && text.charAt(i + 2) == '.') {
                    ellipsisCount++;
                    i += 2;
                }
            }
            if (to > from) {
                // text.split("\n") drops trailing empty lines only: a line counts up to the last non-empty one
                lines += pendingEmpty + 1;
                pendingEmpty = 0;
                int first = from;
                while (first < to && Character.isWhitespace(text.charAt(first))) {
                    first++;
                }
                char c = first < to ? text.charAt(first) : 0;
                if (c == '•' || c == '-' || c == '*' || c == '·') {
                    bullets++;
                }
                if (QualityText.endsWithEllipsis(text, from, to)) {
                    ellipsisLines++;
                }
            } else {
                pendingEmpty++;
            }
            from = to + 1;
        }
        double hashes = (double) hashCount / n;
        if (hashes > s.maxSymbolWordRatio()) {
            return String.format("gopher-too-many-hashes: %.3f > %s", hashes, s.maxSymbolWordRatio());
        }
        double ellipsis = (double) ellipsisCount / n;
        if (ellipsis > s.maxSymbolWordRatio()) {
            return String.format("gopher-too-many-ellipsis: %.3f > %s", ellipsis, s.maxSymbolWordRatio());
        }
        if ((double) bullets / lines > s.maxBulletLinesRatio()) {
            return "gopher-too-many-bullets: " + bullets + " of " + lines + " lines";
        }
        if ((double) ellipsisLines / lines > s.maxEllipsisLinesRatio()) {
            return "gopher-too-many-end-ellipsis: " + ellipsisLines + " of " + lines + " lines";
        }
        double alphaRatio = (double) alpha / n;
        if (alphaRatio < s.minAlphaWordsRatio()) {
            return String.format("gopher-below-alpha-threshold: %.2f of words have a letter < %s", alphaRatio, s.minAlphaWordsRatio());
        }
        if (stop < s.minStopWords()) {
            return "gopher-enough-stop-words: " + stop + " stop words < " + s.minStopWords();
        }
        return null;
    }

}
