package org.rlhf4j.host.answers;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The numbers a text mentions, with their exact values: Arabic numerals ({@code 12}, {@code -3}, {@code 1,000},
 * {@code 1000.0}, {@code 3/4}, LaTeX's {@code \frac{3}{4}}), Chinese numerals ({@code 十二}, {@code 一百零五},
 * {@code 两万}, digit strings like {@code 二零二五}) and English number words ({@code twelve},
 * {@code one hundred and twenty-three}, {@code two thousand}). A mention is whole: the 12 of {@code 112},
 * {@code 12.5}, {@code x12} or {@code 十二} is no mention of 12 or 2. What is not read: ordinals, percentages,
 * Chinese decimals (三点五), words for negatives (minus five) and scales above a million; a date written 12/25 reads
 * as a fraction.
 */
public final class Numbers {

    /** A number at [start, end) of a text, worth numerator / denominator (denominator positive). */
    public record Mention(int start, int end, BigDecimal numerator, BigDecimal denominator) {

        /** Whether both are the same number: 1000 = 1,000 = 1000.0, 3/4 = 0.75 = \frac{3}{4}, 十二 = 12 = twelve. */
        public boolean sameValue(Mention other) {
            return numerator.multiply(other.denominator).compareTo(other.numerator.multiply(denominator)) == 0;
        }
    }

    /** Digits, with thousands separators, a decimal part or a fraction; a sign only where no word or digit precedes it. */
    private static final Pattern ARABIC = Pattern.compile(
            "(?:(?<![\\p{IsLatin}\\p{N}_])([-\u2212]))?(?<![\\p{IsLatin}\\p{N}_.])(\\d{1,3}(?:,\\d{3})+|\\d+)(\\.\\d+)?"
                    + "(?:\\s*/\\s*(\\d+))?(?![\\p{IsLatin}\\p{N}_])(?!\\.\\d)");
    private static final Pattern LATEX_FRACTION = Pattern.compile("(-?)\\\\[dt]?frac\\{\\s*(-?\\d+)\\s*\\}\\{\\s*(\\d+)\\s*\\}");
    private static final Pattern CHINESE = Pattern.compile("负?[零〇一二两三四五六七八九十百千万亿]+");
    private static final String CHINESE_DIGITS = "零一二三四五六七八九";
    private static final Map<Character, Long> CHINESE_UNITS = Map.of('十', 10L, '百', 100L, '千', 1000L);
    private static final List<String> SMALL = List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
            "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen");
    private static final List<String> TENS = List.of("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety");
    private static final Pattern WORD = Pattern.compile("(?i)(?<![\\p{IsLatin}])(" + String.join("|", SMALL) + "|"
            + String.join("|", TENS) + "|hundred|thousand|million)(?![\\p{IsLatin}])");
    /** What may join the words of one number: spaces, a hyphen, "and". */
    private static final Pattern JOINER = Pattern.compile("(?i)[\\s-]+|\\s+and\\s+");
    /** What may surround a number that is an answer on its own. */
    private static final Pattern SURROUNDING = Pattern.compile("^[\\s\\p{P}&&[^-\u2212\\\\]]+|[\\s\\p{P}&&[^}]]+$");

    private Numbers() {
    }

    /** Every number {@code text} mentions, in order; where two readings overlap the one that starts first wins. */
    public static List<Mention> find(String text) {
        List<Mention> all = new ArrayList<>();
        arabic(text, all);
        Matcher f = LATEX_FRACTION.matcher(text);
        while (f.find()) {
            BigDecimal num = new BigDecimal(f.group(2));
            add(all, f.start(), f.end(), f.group(1).isEmpty() ? num : num.negate(), new BigDecimal(f.group(3)));
        }
        Matcher c = CHINESE.matcher(text);
        while (c.find()) {
            Long v = chinese(c.group().startsWith("负") ? c.group().substring(1) : c.group());
            if (v != null) {
                add(all, c.start(), c.end(), BigDecimal.valueOf(c.group().startsWith("负") ? -v : v), BigDecimal.ONE);
            }
        }
        english(text, all);
        all.sort(Comparator.comparingInt(Mention::start).thenComparing(Comparator.comparingInt(Mention::end).reversed()));
        List<Mention> out = new ArrayList<>();
        for (Mention m : all) {
            if (out.isEmpty() || m.start() >= out.get(out.size() - 1).end()) {
                out.add(m);
            }
        }
        return out;
    }

    /** The number {@code text} is, when it is one number alone (spaces and punctuation around it aside). */
    public static Optional<Mention> whole(String text) {
        String t = SURROUNDING.matcher(text).replaceAll("");
        List<Mention> found = find(t);
        return found.size() == 1 && found.get(0).start() == 0 && found.get(0).end() == t.length()
                ? Optional.of(found.get(0)) : Optional.empty();
    }

    private static void arabic(String text, List<Mention> out) {
        Matcher m = ARABIC.matcher(text);
        while (m.find()) {
            BigDecimal value = new BigDecimal(m.group(2).replace(",", "") + (m.group(3) == null ? "" : m.group(3)));
            BigDecimal denominator = m.group(4) == null ? BigDecimal.ONE : new BigDecimal(m.group(4));
            if (denominator.signum() == 0) {
                continue; // 3/0 is no number
            }
            add(out, m.start(), m.end(), m.group(1) == null ? value : value.negate(), denominator);
        }
    }

    private static void add(List<Mention> out, int start, int end, BigDecimal numerator, BigDecimal denominator) {
        out.add(new Mention(start, end, numerator, denominator));
    }

    /** The value of a run of Chinese numerals, or null when it is no well-formed number (万一, 百). */
    static Long chinese(String run) {
        boolean units = run.chars().anyMatch(ch -> "十百千万亿".indexOf(ch) >= 0);
        if (!units) { // a digit string: 二零二五 = 2025, 三 = 3
            long v = 0;
            for (char ch : run.toCharArray()) {
                v = v * 10 + digit(ch);
            }
            return v;
        }
        long total = 0;
        long section = 0;
        long number = -1; // -1: no digit since the last unit
        for (char ch : run.toCharArray()) {
            if (ch == '零' || ch == '〇') {
                number = -1;
            } else if (CHINESE_UNITS.containsKey(ch)) {
                long unit = CHINESE_UNITS.get(ch);
                if (number < 0 && unit != 10) {
                    return null; // 百 and 千 need a digit before them
                }
                section += (number < 0 ? 1 : number) * unit;
                number = -1;
            } else if (ch == '万' || ch == '亿') {
                long scale = ch == '万' ? 10_000L : 100_000_000L;
                long here = section + Math.max(0, number);
                if (here == 0) {
                    return null; // 万一 is "in case", not a number
                }
                total = ch == '亿' ? (total + here) * scale : total + here * scale;
                section = 0;
                number = -1;
            } else {
                number = digit(ch);
            }
        }
        return total + section + Math.max(0, number);
    }

    private static int digit(char ch) {
        return switch (ch) {
            case '〇' -> 0;
            case '两' -> 2;
            default -> CHINESE_DIGITS.indexOf(ch);
        };
    }

    /** English number words, chained by spaces, hyphens and "and", split where a word cannot continue the number. */
    private static void english(String text, List<Mention> out) {
        Matcher m = WORD.matcher(text);
        EnglishNumber current = null;
        int lastEnd = -1;
        while (m.find()) {
            String word = m.group(1).toLowerCase(Locale.ROOT);
            boolean joined = current != null && JOINER.matcher(text.substring(lastEnd, m.start())).matches();
            if (!joined || !current.accepts(word)) {
                if (current != null) {
                    current.addTo(out);
                }
                current = new EnglishNumber(m.start());
            }
            current.take(word, m.end());
            lastEnd = m.end();
        }
        if (current != null) {
            current.addTo(out);
        }
    }

    /** One English number being read, word by word. */
    private static final class EnglishNumber {
        private enum Last { NONE, ZERO, UNIT, TEEN, TENS, HUNDRED, SCALE }

        private final int start;
        private int end;
        private long total;
        private long current;
        private long lastScale = Long.MAX_VALUE;
        private Last last = Last.NONE;

        EnglishNumber(int start) {
            this.start = start;
        }

        boolean accepts(String word) {
            int small = SMALL.indexOf(word);
            if (last == Last.ZERO || small == 0) {
                return false; // zero stands alone
            }
            if (small > 0 && small < 10) {
                return last == Last.NONE || last == Last.TENS || last == Last.HUNDRED || last == Last.SCALE;
            }
            if (small >= 10 || TENS.contains(word)) {
                return last == Last.NONE || last == Last.HUNDRED || last == Last.SCALE;
            }
            if (word.equals("hundred")) {
                return last == Last.NONE || last == Last.UNIT || last == Last.TEEN;
            }
            long scale = word.equals("thousand") ? 1000 : 1_000_000;
            return scale < lastScale && last != Last.SCALE;
        }

        void take(String word, int wordEnd) {
            end = wordEnd;
            int small = SMALL.indexOf(word);
            if (small >= 0) {
                current += small;
                last = small == 0 ? Last.ZERO : small < 10 ? Last.UNIT : Last.TEEN;
            } else if (TENS.contains(word)) {
                current += 20L + 10L * TENS.indexOf(word);
                last = Last.TENS;
            } else if (word.equals("hundred")) {
                current = Math.max(1, current) * 100;
                last = Last.HUNDRED;
            } else {
                long scale = word.equals("thousand") ? 1000 : 1_000_000;
                total += Math.max(1, current) * scale;
                current = 0;
                lastScale = scale;
                last = Last.SCALE;
            }
        }

        void addTo(List<Mention> out) {
            add(out, start, end, BigDecimal.valueOf(total + current), BigDecimal.ONE);
        }
    }
}
