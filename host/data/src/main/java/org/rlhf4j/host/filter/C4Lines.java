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
        // Lines are looked at in place (offsets into the text and its cached tokens): only a line with a citation
        // marker is copied out and split anew. Lower-cased needles are looked for per line only in a text that
        // holds one: a line lower-cased has the characters the lower-cased text has there (no needle holds a
        // Greek sigma, the one letter whose lower case depends on its neighbours).
        String lowerText = text.toLowerCase(Locale.ROOT);
        boolean needles = s.loremIpsum() && lowerText.contains("lorem ipsum") || s.javascript() && lowerText.contains("javascript")
                || QualityText.containsAny(lowerText, s.policy());
        boolean curly = s.curlyBracket() && (text.indexOf('{') >= 0 || text.indexOf('}') >= 0);
        boolean brackets = text.indexOf('[') >= 0;
        Tokens words = Tokens.of(text);
        int token = 0;
        KeptLines kept = new KeptLines();
        QualityText.Sentences sentenceCount = new QualityText.Sentences();
        int removed = 0;
        for (int from = 0; from <= text.length(); ) {
            int to = text.indexOf('\n', from);
            to = to < 0 ? text.length() : to;
            int start = from;
            int end = to;
            from = to + 1;
            while (start < end && Character.isWhitespace(text.charAt(start))) {
                start++;
            }
            while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
                end--;
            }
            while (token < words.count && words.start[token] < start) {
                token++;
            }
            String line = text;
            int lineStart = start;
            int lineEnd = end;
            String lower = null;
            Tokens lineWords = words;
            int first = token;
            boolean cleaned = brackets && indexIn(text, '[', start, end) >= 0;
            if (cleaned) {
                // A citation marker is removed before the rules look at the line: the cleaned line is split anew.
                line = CITATION.matcher(text.substring(start, end)).replaceAll("");
                if (line.isBlank()) {
                    continue;
                }
                lineStart = 0;
                lineEnd = line.length();
                lower = line.toLowerCase(Locale.ROOT);
                lineWords = Tokens.uncached(line);
                first = 0;
            } else if (start == end) {
                continue;
            } else if (needles) {
                lower = text.substring(start, end).toLowerCase(Locale.ROOT);
            }
            if (lower != null && s.loremIpsum() && lower.contains("lorem ipsum")) {
                return FilterDecision.drop(record, "c4-lorem-ipsum: placeholder text");
            }
            if ((curly || cleaned && s.curlyBracket()) && indexIn(line, '{', lineStart, lineEnd) + indexIn(line, '}', lineStart, lineEnd) > -2) {
                return FilterDecision.drop(record, "c4-curly-bracket: a { or } (code, not prose)");
            }
            if (!keepLine(line, lineStart, lineEnd, lineWords, first, lower)) {
                removed++;
                continue;
            }
            kept.add(text, line, lineStart, lineEnd);
            sentenceCount.line(line, lineStart, lineEnd);
        }
        int sentences = sentenceCount.count();
        if (sentences < s.minSentences()) {
            return FilterDecision.drop(record, "c4-too-few-sentences: " + sentences + " < " + s.minSentences()
                    + (removed > 0 ? " after removing " + removed + " line(s)" : ""));
        }
        if (removed == 0) {
            return FilterDecision.keep(record);
        }
        return FilterDecision.modify(record.withText(kept.join(text)), "c4-lines-removed: " + removed + " line(s)");
    }

    /**
     * The lines a document keeps, as ranges of its text (or the cleaned copy of a line that had a citation marker),
     * joined by line feeds only when a line was removed: most documents keep every line and need no copy.
     */
    private static final class KeptLines {
        /** Start and end of each kept line in the text; for a cleaned copy, -(its index in {@link #copies}) - 1. */
        private int[] ranges = new int[32];
        private int count;
        private List<String> copies;

        void add(String text, String line, int start, int end) {
            if (2 * count == ranges.length) {
                ranges = java.util.Arrays.copyOf(ranges, 2 * ranges.length);
            }
            if (line == text) {
                ranges[2 * count] = start;
                ranges[2 * count + 1] = end;
            } else {
                if (copies == null) {
                    copies = new java.util.ArrayList<>();
                }
                copies.add(line.substring(start, end));
                ranges[2 * count] = -copies.size();
            }
            count++;
        }

        String join(String text) {
            StringBuilder b = new StringBuilder(text.length());
            for (int i = 0; i < count; i++) {
                if (i > 0) {
                    b.append('\n');
                }
                int start = ranges[2 * i];
                if (start < 0) {
                    b.append(copies.get(-start - 1));
                } else {
                    b.append(text, start, ranges[2 * i + 1]);
                }
            }
            return b.toString();
        }
    }

    /** The index of {@code c} in {@code s[start, end)}, or -1. */
    private static int indexIn(String s, char c, int start, int end) {
        for (int i = start; i < end; i++) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The line rules for the line {@code s[start, end)}, whose words are {@code words} from index
     * {@code first} on; {@code lower} is the line in lower case, or null when it holds no needle.
     */
    private boolean keepLine(String s, int start, int end, Tokens words, int first, String lower) {
        if (this.s.terminalPunctuation() && (!QualityText.endsWithTerminal(s, start, end) || QualityText.endsWithEllipsis(s, start, end))) {
            return false;
        }
        int real = 0;
        for (int i = first; i < words.count && words.start[i] < end; i++) {
            if (words.isWord(i)) {
                real++;
                if (this.s.maxWordLength() > 0 && words.length(i) > this.s.maxWordLength()) {
                    return false;
                }
            }
        }
        if (real < this.s.minWordsPerLine()) {
            return false;
        }
        if (lower == null) {
            return true;
        }
        if (this.s.javascript() && lower.contains("javascript")) {
            return false;
        }
        return !QualityText.containsAny(lower, this.s.policy());
    }
}
