package org.rlhf4j.host.filter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One kind of private data or secret: a pattern, the group that holds the sensitive part (0 for the
 * whole match), a validator (checksum, entropy, public address ...), the tag that replaces it, a cheap
 * trigger (an {@code @} for emails, enough digits for numbers, a literal prefix for tokens) without which
 * the pattern is not run at all, and optionally a {@link Scope}: the characters a match is made of, so the
 * pattern runs only over the runs of those characters that can hold a match. Most texts hold no private
 * data, and a failed scan of a whole text costs a regex attempt at every position.
 */
public record Detector(String name, String tag, Pattern pattern, int group, Predicate<String> valid, Predicate<TextScan> trigger,
                       Scope scope) {

    public Detector(String name, String tag, Pattern pattern, int group, Predicate<String> valid, Predicate<TextScan> trigger) {
        this(name, tag, pattern, group, valid, trigger, null);
    }

    public Detector(String name, String tag, Pattern pattern, int group, Predicate<String> valid) {
        this(name, tag, pattern, group, valid, s -> true, null);
    }

    /**
     * The ASCII characters every match of a pattern is made of, and what a maximal run of them needs to hold
     * a match worth reporting: a character ({@code 0}: none) and a number of digits (those the pattern or the
     * validator requires). Matches never cross a run's ends, and the regex sees past them (transparent bounds),
     * so searching the qualifying runs finds exactly what searching the whole text finds.
     */
    public record Scope(boolean[] ascii, char needs, int minDigits) {

        /** The scope of matches made of the ASCII characters in {@code chars}. */
        public static Scope of(String chars, char needs, int minDigits) {
            boolean[] in = new boolean[128];
            for (char c : chars.toCharArray()) {
                in[c] = true;
            }
            return new Scope(in, needs, minDigits);
        }

        boolean holds(char c) {
            return c < 128 && ascii[c];
        }
    }

    /** A trigger: the text contains one of these literals. */
    public static Predicate<TextScan> containsAny(String... literals) {
        return s -> {
            for (String l : literals) {
                if (s.contains(l)) {
                    return true;
                }
            }
            return false;
        };
    }

    /** A trigger: the text has at least {@code n} ASCII digits. */
    public static Predicate<TextScan> digits(int n) {
        return s -> s.digits() >= n;
    }

    /** A found span of sensitive text. */
    public record Span(Detector detector, int start, int end) {
    }

    /** Every valid span of every detector, overlapping ones resolved in favour of the earlier detector. */
    public static List<Span> find(String text, List<Detector> detectors) {
        List<Span> spans = new ArrayList<>();
        TextScan scan = TextScan.of(text);
        for (Detector d : detectors) {
            if (!d.trigger().test(scan)) {
                continue;
            }
            Matcher m = d.pattern().matcher(text);
            if (d.scope() == null) {
                collect(d, m, text, spans);
                continue;
            }
            m.useTransparentBounds(true).useAnchoringBounds(false);
            Scope scope = d.scope();
            // A run worth searching holds a digit or the needed character: only runs meeting the stretch from the
            // first to the last of those are looked at.
            int[] span = scan.span(scope.minDigits() > 0 ? '0' : scope.needs() != 0 ? scope.needs() : (char) 1);
            int i = span[0];
            int n = span[1];
            while (i > 0 && scope.holds(text.charAt(i - 1))) {
                i--;
            }
            while (n > 0 && n < text.length() && scope.holds(text.charAt(n))) {
                n++;
            }
            while (i < n) {
                while (i < n && !scope.holds(text.charAt(i))) {
                    i++;
                }
                int start = i;
                int digits = 0;
                boolean needed = scope.needs() == 0;
                for (char c; i < n && scope.holds(c = text.charAt(i)); i++) {
                    digits += c >= '0' && c <= '9' ? 1 : 0;
                    needed |= c == scope.needs();
                }
                if (i > start && needed && digits >= scope.minDigits()) {
                    m.region(start, i);
                    collect(d, m, text, spans);
                }
            }
        }
        spans.sort(Comparator.comparingInt(Span::start));
        return spans;
    }

    private static void collect(Detector d, Matcher m, String text, List<Span> spans) {
        while (m.find()) {
            int s = m.start(d.group());
            int e = m.end(d.group());
            if (s < 0 || !d.valid().test(text.substring(s, e))) {
                continue;
            }
            boolean overlaps = false;
            for (Span o : spans) {
                if (s < o.end() && o.start() < e) {
                    overlaps = true;
                    break;
                }
            }
            if (!overlaps) {
                spans.add(new Span(d, s, e));
            }
        }
    }

    /** {@code text} with each span replaced by its detector's tag. */
    public static String redact(String text, List<Span> spans) {
        if (spans.isEmpty()) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length());
        int at = 0;
        for (Span s : spans) {
            b.append(text, at, s.start()).append(s.detector().tag());
            at = s.end();
        }
        return b.append(text, at, text.length()).toString();
    }
}
