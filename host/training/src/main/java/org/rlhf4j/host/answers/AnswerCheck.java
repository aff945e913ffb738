package org.rlhf4j.host.answers;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether an answer gives the expected answer: the one correctness check that evaluation ({@code RuleJudge}) and the
 * verifiable rewards ({@code rule-correctness}) share.
 *
 * <p>Modes: {@code EXACT} (the phrase, case and spaces normalised), {@code NUMERIC} (the same number, {@link Numbers}),
 * {@code CHOICE} (the same letter A-E, {@link Choices}), {@code AUTO} (choice when the expected answer is a capital letter
 * alone, numeric when it is one number, exact otherwise). Where to look: {@code TAG} (only the content of the last
 * answer tag counts; no tag is wrong), {@code LAST} (the last tag's content when there is one, else the whole answer; the
 * last number or letter in it counts, or for an exact phrase the answer must end with it), {@code ANYWHERE} (any number,
 * letter or whole-word occurrence of the phrase counts: how evaluation has always judged).
 *
 * @param tags patterns whose group 1 is an answer's content (e.g. {@code \boxed{...}}, {@code <answer>...</answer>})
 */
public record AnswerCheck(Mode mode, LookIn lookIn, List<Pattern> tags) {

    /** How the expected answer is compared. */
    public enum Mode { EXACT, NUMERIC, CHOICE, AUTO }

    /** Which part of the answer is compared. */
    public enum LookIn { TAG, LAST, ANYWHERE }

    private static final String ZH_NUMERALS = "零一二三四五六七八九十百";

    public AnswerCheck {
        tags = List.copyOf(tags);
    }

    /** The mode {@code AUTO} picks for {@code expected}; any other mode as it is. */
    public Mode modeFor(String expected) {
        if (mode != Mode.AUTO) {
            return mode;
        }
        if (Choices.looksLikeChoice(expected)) {
            return Mode.CHOICE;
        }
        return Numbers.whole(expected).isPresent() ? Mode.NUMERIC : Mode.EXACT;
    }

    /**
     * Whether {@code answer} gives {@code expected}.
     *
     * @throws IllegalArgumentException when the expected answer does not fit the mode (numeric mode and "Paris")
     */
    public boolean correct(String answer, String expected) {
        Mode m = modeFor(expected);
        String tagged = lastTag(answer).orElse(null);
        if (lookIn == LookIn.TAG && tagged == null) {
            return false;
        }
        String span = lookIn == LookIn.ANYWHERE || tagged == null ? answer : tagged;
        boolean last = lookIn != LookIn.ANYWHERE;
        switch (m) {
            case NUMERIC: {
                Numbers.Mention want = Numbers.whole(expected).orElseThrow(() -> new IllegalArgumentException(
                        "the expected answer '" + expected + "' is not a number (mode numeric)"));
                List<Numbers.Mention> found = Numbers.find(span);
                return last ? !found.isEmpty() && found.get(found.size() - 1).sameValue(want)
                        : found.stream().anyMatch(want::sameValue);
            }
            case CHOICE: {
                char want = Choices.whole(expected).orElseThrow(() -> new IllegalArgumentException(
                        "the expected answer '" + expected + "' is not a choice A-E (mode choice)"));
                List<Character> found = Choices.find(span);
                return last ? !found.isEmpty() && found.get(found.size() - 1) == want : found.contains(want);
            }
            default:
                if (tagged != null && last) {
                    return normalise(span).equals(normalise(expected));
                }
                return phrase(answer, expected, last);
        }
    }

    /** The content of the last answer tag in {@code answer}, of any of the tag patterns. */
    public Optional<String> lastTag(String answer) {
        int start = -1;
        String content = null;
        for (Pattern p : tags) {
            Matcher m = p.matcher(answer);
            while (m.find()) {
                if (m.start() > start) {
                    start = m.start();
                    content = m.group(1);
                }
            }
        }
        return Optional.ofNullable(content);
    }

    /**
     * The expected phrase appears as a whole ("12" not inside "112", "二" not inside "十二", a word not inside a longer
     * word; a Chinese word as a plain substring), anywhere or, with {@code atEnd}, as the answer's end (its trailing
     * spaces and punctuation aside).
     */
    static boolean phrase(String answer, String expected, boolean atEnd) {
        String e = Pattern.quote(expected.toLowerCase(Locale.ROOT));
        String boundary = expected.chars().allMatch(c -> ZH_NUMERALS.indexOf(c) >= 0)
                ? "[" + ZH_NUMERALS + "]" : "[\\p{L}\\p{N}]";
        if (expected.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN)
                && expected.chars().noneMatch(c -> ZH_NUMERALS.indexOf(c) >= 0)) {
            boundary = "(?!)"; // Chinese words have no spaces around them: a plain substring match
        }
        String text = answer.toLowerCase(Locale.ROOT);
        if (atEnd) {
            text = text.replaceAll("[\\s\\p{P}]+$", "");
        }
        return Pattern.compile("(?<!" + boundary + ")" + e + "(?!" + boundary + ")" + (atEnd ? "$" : "")).matcher(text).find();
    }

    /** Lower case, spaces collapsed, surrounding spaces and punctuation dropped. */
    static String normalise(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").replaceAll("^[\\s\\p{P}]+|[\\s\\p{P}]+$", "");
    }
}
