package org.rlhf4j.host.filter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One kind of private data or secret: a pattern, the group that holds the sensitive part (0 for the
 * whole match), a validator (checksum, entropy, public address ...), the tag that replaces it, and a
 * cheap trigger (an {@code @} for emails, a digit for numbers, a literal prefix for tokens) without which
 * the pattern is not run at all: most texts hold no private data, and a failed scan costs a regex pass.
 */
public record Detector(String name, String tag, Pattern pattern, int group, Predicate<String> valid, Predicate<String> trigger) {

    public Detector(String name, String tag, Pattern pattern, int group, Predicate<String> valid) {
        this(name, tag, pattern, group, valid, s -> true);
    }

    /** A trigger: the text contains one of these literals. */
    public static Predicate<String> containsAny(String... literals) {
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
    public static Predicate<String> digits(int n) {
        return s -> {
            int c = 0;
            for (int i = 0; i < s.length(); i++) {
                char ch = s.charAt(i);
                if (ch >= '0' && ch <= '9' && ++c >= n) {
                    return true;
                }
            }
            return false;
        };
    }

    /** A found span of sensitive text. */
    public record Span(Detector detector, int start, int end) {
    }

    /** Every valid span of every detector, overlapping ones resolved in favour of the earlier detector. */
    public static List<Span> find(String text, List<Detector> detectors) {
        List<Span> spans = new ArrayList<>();
        for (Detector d : detectors) {
            if (!d.trigger().test(text)) {
                continue;
            }
            Matcher m = d.pattern().matcher(text);
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
        spans.sort(Comparator.comparingInt(Span::start));
        return spans;
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
