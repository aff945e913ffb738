package org.rlhf4j.host.filter;

import org.rlhf4j.host.text.RecordText;
import org.rlhf4j.host.text.TextNormalizer;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import org.pf4j.Extension;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.data.FilterDecision;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.data.RecordFilter;

/**
 * FineWeb's own quality rules (Penedo et al. 2024; datatrove's FineWebQualityFilter): too few lines
 * ending in punctuation, too many short lines, too many characters in duplicated lines, and too many line
 * breaks per word (lists and menus). Chinese-aware: 。！？” count as terminal punctuation and a short line
 * is measured in characters with its own length ({@code short-line-length-cjk}), since Chinese packs a
 * word in one or two characters.
 */
@Extension
@ExtensionName("fineweb-quality")
public final class FineWebQuality implements RecordFilter {

    record FineWebSettings(double linePunctThreshold, boolean linePunctExcludeZero, double shortLineThreshold,
                           int shortLineLength, int shortLineLengthCjk, double charDuplicatesRatio, double newLineRatio,
                           double cjkThreshold) {
        static FineWebSettings from(Config c) {
            return new FineWebSettings(c.getDouble("line-punct-threshold"), c.getBoolean("line-punct-exclude-zero"),
                    c.getDouble("short-line-threshold"), c.getInt("short-line-length"), c.getInt("short-line-length-cjk"),
                    c.getDouble("char-duplicates-ratio"), c.getDouble("new-line-ratio"), c.getDouble("cjk-threshold"));
        }
    }

    private final FineWebSettings s;

    @Inject
    public FineWebQuality(@Settings Config settings) {
        this.s = FineWebSettings.from(settings);
    }

    @Override
    public FilterDecision apply(Record record) {
        String reason = check(RecordText.of(record));
        return reason == null ? FilterDecision.keep(record) : FilterDecision.drop(record, reason);
    }

    private static final ThreadLocal<LongCounter> LINES = ThreadLocal.withInitial(LongCounter::new);

    private String check(String text) {
        Tokens t = Tokens.of(text);
        int shortLength = t.cjkShare() >= s.cjkThreshold() ? s.shortLineLengthCjk() : s.shortLineLength();
        // The non-blank lines in place: how many, how many end in punctuation or are short, and the characters of
        // those repeating an earlier line (compared by 64-bit hashes).
        LongCounter seen = LINES.get();
        seen.clear(64);
        int lines = 0;
        int punct = 0;
        int shortLines = 0;
        long dupChars = 0;
        int newLineCount = 0;
        for (int from = 0; from <= text.length(); from++) {
            int to = text.indexOf('\n', from);
            if (to < 0) {
                to = text.length();
            } else {
                newLineCount++;
            }
            int first = from;
            while (first < to && Character.isWhitespace(text.charAt(first))) {
                first++;
            }
            if (first < to) {
                lines++;
                if (QualityText.endsWithTerminal(text, from, to)) {
                    punct++;
                }
                if (to - from <= shortLength) {
                    shortLines++;
                }
                if (seen.increment(TextNormalizer.hash64(text, from, to)) > 1) {
                    dupChars += to - from;
                }
            }
            from = to;
        }
        if (lines == 0) {
            return "fineweb-empty: no text";
        }
        double punctRatio = (double) punct / lines;
        if (punctRatio < s.linePunctThreshold() && !(punct == 0 && s.linePunctExcludeZero())) {
            return String.format("fineweb-line-punct-ratio: %.2f of lines end in punctuation < %s", punctRatio, s.linePunctThreshold());
        }
        double shortRatio = (double) shortLines / lines;
        if (shortRatio > s.shortLineThreshold()) {
            return String.format("fineweb-short-line-ratio: %.2f of lines are short > %s", shortRatio, s.shortLineThreshold());
        }
        double dupRatio = (double) dupChars / Math.max(1, text.length() - newLineCount);
        if (dupRatio > s.charDuplicatesRatio()) {
            return String.format("fineweb-char-dup-ratio: %.3f of chars in duplicated lines > %s", dupRatio, s.charDuplicatesRatio());
        }
        int words = 0;
        for (int i = 0; i < t.count; i++) {
            if (t.isWord(i)) {
                words++;
            }
        }
        double newLines = (double) newLineCount / Math.max(1, words);
        if (newLines > s.newLineRatio()) {
            return String.format("fineweb-list-ratio: %.2f line breaks per word > %s", newLines, s.newLineRatio());
        }
        return null;
    }
}
