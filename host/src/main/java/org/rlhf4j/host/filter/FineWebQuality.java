package org.rlhf4j.host.filter;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
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

    private String check(String text) {
        List<String> lines = new ArrayList<>();
        for (String l : text.split("\n")) {
            if (!l.isBlank()) {
                lines.add(l);
            }
        }
        if (lines.isEmpty()) {
            return "fineweb-empty: no text";
        }
        boolean cjk = Tokens.of(text).cjkShare() >= s.cjkThreshold();
        int punct = 0;
        int shortLines = 0;
        int shortLength = cjk ? s.shortLineLengthCjk() : s.shortLineLength();
        for (String l : lines) {
            if (QualityText.endsWithTerminal(l)) {
                punct++;
            }
            if (l.length() <= shortLength) {
                shortLines++;
            }
        }
        double punctRatio = (double) punct / lines.size();
        if (punctRatio < s.linePunctThreshold() && !(punct == 0 && s.linePunctExcludeZero())) {
            return String.format("fineweb-line-punct-ratio: %.2f of lines end in punctuation < %s", punctRatio, s.linePunctThreshold());
        }
        double shortRatio = (double) shortLines / lines.size();
        if (shortRatio > s.shortLineThreshold()) {
            return String.format("fineweb-short-line-ratio: %.2f of lines are short > %s", shortRatio, s.shortLineThreshold());
        }
        long dupChars = GopherRepetition.duplicates(lines.toArray(String[]::new))[1];
        double dupRatio = (double) dupChars / Math.max(1, text.length() - QualityText.count(text, "\n"));
        if (dupRatio > s.charDuplicatesRatio()) {
            return String.format("fineweb-char-dup-ratio: %.3f of chars in duplicated lines > %s", dupRatio, s.charDuplicatesRatio());
        }
        Tokens t = Tokens.of(text);
        int words = 0;
        for (int i = 0; i < t.count; i++) {
            if (t.isWord(i)) {
                words++;
            }
        }
        double newLines = (double) QualityText.count(text, "\n") / Math.max(1, words);
        if (newLines > s.newLineRatio()) {
            return String.format("fineweb-list-ratio: %.2f line breaks per word > %s", newLines, s.newLineRatio());
        }
        return null;
    }
}
