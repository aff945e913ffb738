package org.rlhf4j.host.answers;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The multiple-choice letters (A to E) a text gives as its answer. Three kinds of mention, the first kind found
 * deciding: a marked one ({@code the answer is C}, {@code Answer: (B)}, {@code 答案是C}, {@code 选B}), a letter in
 * parentheses ({@code (B)}), a bare capital letter standing alone ({@code C.}; not the article of {@code A cat}).
 */
public final class Choices {

    private static final Pattern MARKED = Pattern.compile(
            "(?:(?i:answer(?:\\s+is)?|option|choice)|答案(?:是|为|應為|应为)?|选项?|選)\\s*[:：]?\\s*[(（]?([A-E])(?![\\p{IsLatin}\\p{N}])");
    private static final Pattern PARENTHESISED = Pattern.compile("[(（]([A-E])[)）]");
    private static final Pattern BARE = Pattern.compile(
            "(?<![\\p{IsLatin}\\p{N}'])([A-E])(?![\\p{IsLatin}\\p{N}'])(?!(?<=A)\\s+\\p{Ll})");
    private static final Pattern ALONE = Pattern.compile("^\\s*[(（]?([A-Ea-e])[)）.。]?\\s*$");

    private Choices() {
    }

    /** The letters {@code text} gives, in order, of the first kind of mention it has (marked, parenthesised, bare). */
    public static List<Character> find(String text) {
        for (Pattern p : List.of(MARKED, PARENTHESISED, BARE)) {
            List<Character> found = new ArrayList<>();
            Matcher m = p.matcher(text);
            while (m.find()) {
                found.add(Character.toUpperCase(m.group(1).charAt(0)));
            }
            if (!found.isEmpty()) {
                return found;
            }
        }
        return List.of();
    }

    /** The letter {@code text} is when it is a choice alone ({@code B}, {@code (b)}, {@code C.}), upper-cased. */
    public static Optional<Character> whole(String text) {
        Matcher m = ALONE.matcher(text);
        return m.matches() ? Optional.of(m.group(1).toUpperCase(Locale.ROOT).charAt(0)) : Optional.empty();
    }

    /** Whether an expected answer looks like a choice: a capital A to E alone, perhaps in parentheses. */
    static boolean looksLikeChoice(String expected) {
        return whole(expected).isPresent() && expected.chars().noneMatch(c -> c >= 'a' && c <= 'e');
    }
}
