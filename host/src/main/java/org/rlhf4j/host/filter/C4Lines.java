package org.rlhf4j.host.filter;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.pf4j.Extension;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.data.FilterDecision;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.data.RecordFilter;

/**
 * The C4 cleaning rules (Raffel et al. 2020; datatrove's C4QualityFilter): line by line, drop citation
 * markers, lines without terminal punctuation (or ending in an ellipsis), lines of fewer than
 * {@code min-words-per-line} words, lines with a word longer than {@code max-word-length}, lines that
 * mention javascript, and lines with cookie or privacy-policy boilerplate; drop the whole document when
 * it has "lorem ipsum", a curly bracket (code, not prose), or fewer than {@code min-sentences} sentences
 * left. Chinese-aware: 。！？” end lines and sentences, characters count as words. A document that only lost
 * lines is kept, rewritten.
 */
@Extension
@ExtensionName("c4-lines")
public final class C4Lines implements RecordFilter {

    private static final Pattern CITATION = Pattern.compile("\\[\\d*]|\\[edit]|\\[citation needed]");

    record C4Settings(boolean terminalPunctuation, int minWordsPerLine, int maxWordLength, int minSentences,
                      boolean loremIpsum, boolean javascript, boolean curlyBracket, List<String> policy) {
        static C4Settings from(Config c) {
            return new C4Settings(c.getBoolean("terminal-punctuation"), c.getInt("min-words-per-line"), c.getInt("max-word-length"),
                    c.getInt("min-sentences"), c.getBoolean("lorem-ipsum"), c.getBoolean("javascript"),
                    c.getBoolean("curly-bracket"), c.getStringList("policy-substrings"));
        }
    }

    private final C4Settings s;

    @Inject
    public C4Lines(@Settings Config settings) {
        this.s = C4Settings.from(settings);
    }

    @Override
    public FilterDecision apply(Record record) {
        if (!record.messages().isEmpty() || !record.answers().isEmpty()) {
            return FilterDecision.keep(record);
        }
        String text = record.text();
        StringBuilder kept = new StringBuilder(text.length());
        int removed = 0;
        for (String raw : text.split("\n")) {
            String line = raw.indexOf('[') >= 0 ? CITATION.matcher(raw.strip()).replaceAll("") : raw.strip();
            if (line.isBlank()) {
                continue;
            }
            String lower = line.toLowerCase(Locale.ROOT);
            if (s.loremIpsum() && lower.contains("lorem ipsum")) {
                return FilterDecision.drop(record, "c4-lorem-ipsum: placeholder text");
            }
            if (s.curlyBracket() && (line.indexOf('{') >= 0 || line.indexOf('}') >= 0)) {
                return FilterDecision.drop(record, "c4-curly-bracket: a { or } (code, not prose)");
            }
            if (!keepLine(line, lower)) {
                removed++;
                continue;
            }
            if (kept.length() > 0) {
                kept.append('\n');
            }
            kept.append(line);
        }
        int sentences = QualityText.sentences(kept.toString());
        if (sentences < s.minSentences()) {
            return FilterDecision.drop(record, "c4-too-few-sentences: " + sentences + " < " + s.minSentences()
                    + (removed > 0 ? " after removing " + removed + " line(s)" : ""));
        }
        if (removed == 0) {
            return FilterDecision.keep(record);
        }
        return FilterDecision.modify(record.withText(kept.toString()), "c4-lines-removed: " + removed + " line(s)");
    }

    private boolean keepLine(String line, String lower) {
        if (s.terminalPunctuation() && (!QualityText.endsWithTerminal(line) || QualityText.endsWithEllipsis(line))) {
            return false;
        }
        Tokens words = Tokens.uncached(line);
        int real = 0;
        for (int i = 0; i < words.count; i++) {
            if (words.isWord(i)) {
                real++;
                if (s.maxWordLength() > 0 && words.length(i) > s.maxWordLength()) {
                    return false;
                }
            }
        }
        if (real < s.minWordsPerLine()) {
            return false;
        }
        if (s.javascript() && lower.contains("javascript")) {
            return false;
        }
        return !QualityText.containsAny(lower, s.policy());
    }
}
