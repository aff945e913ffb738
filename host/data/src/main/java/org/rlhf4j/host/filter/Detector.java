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
 *
 * <p>A detector whose matches a regex cannot find (phone numbers, found and validated by libphonenumber) has a
 * {@link Finder} instead of a pattern; the validator, trigger and scope apply to it as to a pattern. Its scope is
 * then usually {@link Scope#digitClusters}: stretches of text where digits lie close together, with some context
 * either side, so a text whose digits are few or far apart costs the finder nothing.
 */
public record Detector(String name, String tag, Pattern pattern, int group, Predicate<String> valid, Predicate<TextScan> trigger,
                       Scope scope, Finder finder) {

    public Detector(String name, String tag, Pattern pattern, int group, Predicate<String> valid, Predicate<TextScan> trigger,
                    Scope scope) {
        this(name, tag, pattern, group, valid, trigger, scope, null);
    }

    public Detector(String name, String tag, Pattern pattern, int group, Predicate<String> valid, Predicate<TextScan> trigger) {
        this(name, tag, pattern, group, valid, trigger, null, null);
    }

    public Detector(String name, String tag, Pattern pattern, int group, Predicate<String> valid) {
        this(name, tag, pattern, group, valid, s -> true, null, null);
    }

    /** A detector whose candidates {@code finder} finds (no pattern); each is then checked by {@code valid}. */
    public static Detector found(String name, String tag, Finder finder, Predicate<String> valid, Predicate<TextScan> trigger,
                                 Scope scope) {
        return new Detector(name, tag, null, 0, valid, trigger, scope, finder);
    }

    /** The same detector searching whole texts: what its scope must not change (a test holds it to that). */
    public Detector unscoped() {
        return new Detector(name, tag, pattern, group, valid, trigger, null, finder);
    }

    /**
     * What finds a detector's candidates when a regex cannot: reports each candidate span ({@code start, end}, indexes
     * into {@code text}) that lies in {@code [from, to)}. It may read the text outside that region as context (as a
     * pattern's lookarounds do), and must report spans in increasing order of start.
     */
    @FunctionalInterface
    public interface Finder {
        void find(String text, int from, int to, SpanSink found);
    }

    /** Receives the spans a {@link Finder} finds, and says where earlier detectors found theirs. */
    public interface SpanSink {
        void accept(int start, int end);

        /** False when an earlier detector's span covers {@code [start, end)}: nothing there is worth looking at. */
        boolean free(int start, int end);
    }

    /**
     * Where in a text a detector's matches can lie. Either the ASCII characters every match is made of, and what a
     * maximal run of them needs to hold a match worth reporting: a character ({@code 0}: none) and a number of digits
     * (those the pattern or the validator requires). Matches never cross a run's ends, and the regex sees past them
     * (transparent bounds), so searching the qualifying runs finds exactly what searching the whole text finds.
     * Or ({@code ascii} null, {@link #digitClusters}) clusters of ASCII digits, each no more than {@code gap}
     * characters from the next, holding at least {@code minDigits}, searched with {@code margin} characters of the
     * text either side: for matches whose digits never lie further apart than {@code gap} and which start no more
     * than {@code margin} characters before their first digit and end at their last one (context read past the
     * region is still read).
     */
    public record Scope(boolean[] ascii, char needs, int minDigits, int gap, int margin) {

        /** The scope of matches made of the ASCII characters in {@code chars}. */
        public static Scope of(String chars, char needs, int minDigits) {
            boolean[] in = new boolean[128];
            for (char c : chars.toCharArray()) {
                in[c] = true;
            }
            return new Scope(in, needs, minDigits, 0, 0);
        }

        /** The scope of matches in clusters of at least {@code minDigits} ASCII digits (see the class comment). */
        public static Scope digitClusters(int minDigits, int gap, int margin) {
            return new Scope(null, (char) 0, minDigits, gap, margin);
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
            Matcher m = d.pattern() == null ? null : d.pattern().matcher(text);
            if (m != null) {
                m.useTransparentBounds(true).useAnchoringBounds(false);
            }
            Scope scope = d.scope();
            if (scope == null) {
                search(d, m, text, 0, text.length(), spans);
            } else if (scope.ascii() == null) {
                clusters(d, m, text, scan, spans);
            } else {
                runs(d, m, text, scan, spans);
            }
        }
        spans.sort(Comparator.comparingInt(Span::start));
        return spans;
    }

    /** Searches the runs of a character scope that hold what a match needs. */
    private static void runs(Detector d, Matcher m, String text, TextScan scan, List<Span> spans) {
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
                search(d, m, text, start, i, spans);
            }
        }
    }

    /** Searches the clusters of a {@link Scope#digitClusters} scope, each with its margins. */
    private static void clusters(Detector d, Matcher m, String text, TextScan scan, List<Span> spans) {
        Scope scope = d.scope();
        int[] span = scan.span('0');
        int i = span[0];
        int n = span[1];
        while (i < n) {
            int first = i;
            int last = i;
            int digits = 1;
            for (int j = i + 1; j < n && j - last <= scope.gap() + 1; j++) {
                char c = text.charAt(j);
                if (c >= '0' && c <= '9') {
                    last = j;
                    digits++;
                }
            }
            if (digits >= scope.minDigits()) {
                search(d, m, text, Math.max(0, first - scope.margin()), Math.min(text.length(), last + 1 + scope.margin()), spans);
            }
            i = last + 1;
            while (i < n && !(text.charAt(i) >= '0' && text.charAt(i) <= '9')) {
                i++;
            }
        }
    }

    private static void search(Detector d, Matcher m, String text, int from, int to, List<Span> spans) {
        if (m == null) {
            d.finder().find(text, from, to, new SpanSink() {
                @Override
                public void accept(int start, int end) {
                    add(d, text, start, end, spans);
                }

                @Override
                public boolean free(int start, int end) {
                    return spans.stream().noneMatch(o -> o.start() <= start && end <= o.end());
                }
            });
            return;
        }
        m.region(from, to);
        while (m.find()) {
            int s = m.start(d.group());
            if (s >= 0) {
                add(d, text, s, m.end(d.group()), spans);
            }
        }
    }

    private static void add(Detector d, String text, int s, int e, List<Span> spans) {
        if (!d.valid().test(text.substring(s, e))) {
            return;
        }
        for (Span o : spans) {
            if (s < o.end() && o.start() < e) {
                return;
            }
        }
        spans.add(new Span(d, s, e));
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
