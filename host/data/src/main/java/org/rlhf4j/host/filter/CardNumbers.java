package org.rlhf4j.host.filter;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Payment card numbers, the {@code card} detector ({@code <CARD_NUMBER>}): a number of a length its brand issues,
 * starting with one of the brand's IIN ranges ({@link #BRANDS}, after the ISO/IEC 7812 ranges the brands
 * publish), that passes the {@link #luhn} check. Written without separators or grouped as people write them, one
 * separator (space or dash) throughout: 4-4-4-4 (and 4-4-4-4-3 for 19 digits, 4-4-4-1 ... for shorter ones),
 * 4-6-5 (American Express, UATP) and 4-6-4 (Diners Club); not a part of a longer run of digit groups.
 */
final class CardNumbers {

    private CardNumbers() {
    }

    /** One brand: the lengths of its numbers and the IIN ranges they start with (inclusive, as many digits as the bounds have). */
    record Brand(String name, int[] lengths, long[][] ranges) {

        boolean issued(String digits) {
            if (java.util.Arrays.stream(lengths).noneMatch(n -> n == digits.length())) {
                return false;
            }
            for (long[] r : ranges) {
                int n = Long.toString(r[0]).length();
                long prefix = Long.parseLong(digits.substring(0, n));
                if (prefix >= r[0] && prefix <= r[1]) {
                    return true;
                }
            }
            return false;
        }
    }

    private static int[] lengths(int min, int max) {
        return java.util.stream.IntStream.rangeClosed(min, max).toArray();
    }

    private static long[][] ranges(long... bounds) {
        long[][] r = new long[bounds.length / 2][];
        for (int i = 0; i < r.length; i++) {
            r[i] = new long[] {bounds[2 * i], bounds[2 * i + 1]};
        }
        return r;
    }

    /** The brands and their ranges (as listed by the brands and collected in ISO/IEC 7812's register; see SOURCES.md). */
    static final List<Brand> BRANDS = List.of(
            new Brand("visa", new int[] {13, 16, 19}, ranges(4, 4)),
            new Brand("mastercard", lengths(16, 16), ranges(51, 55, 2221, 2720)),
            new Brand("amex", lengths(15, 15), ranges(34, 34, 37, 37)),
            new Brand("discover", lengths(16, 19), ranges(6011, 6011, 644, 649, 65, 65, 622126, 622925)),
            new Brand("jcb", lengths(16, 19), ranges(3528, 3589)),
            new Brand("diners", lengths(14, 19), ranges(300, 305, 3095, 3095, 36, 36, 38, 39)),
            new Brand("unionpay", lengths(16, 19), ranges(62, 62, 81, 81)),
            new Brand("maestro", lengths(12, 19), ranges(5018, 5018, 5020, 5020, 5038, 5038, 5893, 5893, 6304, 6304, 6759, 6759, 6761, 6763)),
            new Brand("dankort", lengths(16, 16), ranges(5019, 5019, 4571, 4571)),
            new Brand("uatp", lengths(15, 15), ranges(1, 1)),
            new Brand("mir", lengths(16, 19), ranges(2200, 2204)),
            new Brand("rupay", lengths(16, 16), ranges(60, 60, 65, 65, 81, 82, 508, 508, 353, 353, 356, 356)),
            new Brand("interpayment", lengths(16, 19), ranges(636, 636)),
            new Brand("instapayment", lengths(16, 16), ranges(637, 639)),
            new Brand("troy", lengths(16, 16), ranges(9792, 9792)),
            new Brand("verve", lengths(16, 19), ranges(506099, 506198, 650002, 650027, 507865, 507964)));

    private static final String SEPARATED = "\\d{4}([ -])\\d{4}\\1\\d{4}\\1\\d{1,4}(?:\\1\\d{3})?|\\d{4}([ -])\\d{6}\\2\\d{4,5}";

    static Detector detector() {
        return new Detector("card", "<CARD_NUMBER>",
                Pattern.compile("(?<![\\d.,-]|\\d[ -])(?:\\d{12,19}|" + SEPARATED + ")(?![\\d-]|[.,]\\d|[ -]\\d{4})"), 0, CardNumbers::valid,
                Detector.digits(12), Detector.Scope.of(PiiDetectors.DIGITS + " -", (char) 0, 12));
    }

    /** A number, separators ignored, of a brand's length and range that passes the Luhn check. */
    static boolean valid(String raw) {
        String d = PiiDetectors.digits(raw);
        return luhn(d) && brand(d) != null;
    }

    /** The brand that issues numbers like {@code digits}, or null. */
    static String brand(String digits) {
        for (Brand b : BRANDS) {
            if (b.issued(digits)) {
                return b.name();
            }
        }
        return null;
    }

    /** The Luhn (mod 10) check: every second digit from the right doubled (less 9 above 9), the sum a multiple of 10. */
    static boolean luhn(String digits) {
        int sum = 0;
        boolean doubled = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int v = digits.charAt(i) - '0';
            if (doubled) {
                v = v * 2 > 9 ? v * 2 - 9 : v * 2;
            }
            sum += v;
            doubled = !doubled;
        }
        return !digits.isEmpty() && sum % 10 == 0;
    }
}
