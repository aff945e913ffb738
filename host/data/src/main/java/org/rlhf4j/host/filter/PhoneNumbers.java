package org.rlhf4j.host.filter;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonemetadata;
import com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider;
import com.google.i18n.phonenumbers.PhoneNumberUtil.Leniency;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Phone numbers, the {@code phone} detector ({@code <PHONE>}), found in running text and validated by Google's
 * libphonenumber ({@link PhoneNumberUtil#findNumbers}): numbers in international form ({@code +44 20 7946 0958},
 * {@code 0044 ...}) of any region, and in the national forms of the configured regions ({@code (415) 555-0132} for
 * US, {@code 010-6552 9988} and {@code 139 1234 5678} for CN ...), each accepted at the configured leniency
 * ({@code possible}, {@code valid}: a number the region issues, written with its trunk prefix where the region
 * needs one, {@code strict-grouping}, {@code exact-grouping}: also grouped as the region groups it). A Chinese
 * landline's extension ({@code 0755-8601 3388-8001}, {@code 转 123}, {@code 分机 123}), which libphonenumber does
 * not read, is redacted with the number. A Chinese landline written nationally must have its trunk prefix 0
 * ({@code 010-6552 9988}; {@code +86 10 6552 9988} internationally): without it libphonenumber would take most
 * runs of 10 to 12 digits, and other regions' numbers, for Chinese ones.
 *
 * <p>findNumbers costs some 10 to 30 microseconds a call, however short the text, so it is called as little as
 * possible. The detector's scope ({@link Detector.Scope#digitClusters}: at least {@value #MIN_DIGITS} digits, none
 * more than {@value #GAP} characters from the next, with {@value #MARGIN} characters of context either side) keeps
 * texts without such a cluster from costing anything past the digit count of the trigger. In a cluster, only the
 * runs of the characters numbers are written with (digits, plus signs, brackets, libphonenumber's punctuation, and
 * an extension's label) that hold {@value #MIN_DIGITS} digits are given to it, with one character of context either
 * side, and not when the run is a date, an IPv4 address or a decimal, or lies in what an earlier detector found;
 * region after region, until fewer than {@value #MIN_DIGITS} of the run's digits lie outside the numbers found,
 * skipping a region none of whose numbers has the length of a run of bare digits.
 */
final class PhoneNumbers implements Detector.Finder {

    /** The fewest digits of a number redacted (shorter ones are mostly extensions, codes and counts). */
    static final int MIN_DIGITS = 7;
    /** The most characters between two digits of one number ({@code " ext. "}, {@code ") - "}). */
    static final int GAP = 12;
    /** The context findNumbers needs before a number's first digit ({@code "(+86) "}) and after its last. */
    static final int MARGIN = 12;

    /** The settings' names of libphonenumber's leniencies. */
    static final Map<String, Leniency> LENIENCIES = Map.of("possible", Leniency.POSSIBLE, "valid", Leniency.VALID,
            "strict-grouping", Leniency.STRICT_GROUPING, "exact-grouping", Leniency.EXACT_GROUPING);

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    /** A Chinese number in national or +86 form followed by an extension: the number is group 1. */
    private static final Pattern CN_EXTENSION = Pattern.compile("(?<![\\d+])((?:(?:\\+|00)86[ -]?(?:\\(0?\\d{2,3}\\)|0?\\d{2,3})"
            + "|\\(0\\d{2,3}\\)|0\\d{2,3})[ -]?\\d{3,4}[ -]?\\d{4})[ ]?(?:-|转|分机|ext\\.?|x)[ ]?\\d{1,6}(?!\\d)");
    /** Dates and times libphonenumber might take for numbers in some region. */
    private static final Pattern DATE_OR_TIME = Pattern.compile("\\d{4}[-./]\\d{1,2}[-./]\\d{1,2}|\\d{1,2}[-./]\\d{1,2}[-./]\\d{4}|.*:.*");
    /** Runs of number characters (from their first digit to their last) not worth libphonenumber's time: dates, IPv4, decimals. */
    private static final Pattern NOT_A_NUMBER = Pattern.compile("\\d{4}[-./]\\d{1,2}[-./]\\d{1,2}|\\d{1,2}[-./]\\d{1,2}[-./]\\d{2,4}"
            + "|\\d{1,3}(?:\\.\\d{1,3}){3}|\\d+\\.\\d+");
    /** libphonenumber's VALID_PUNCTUATION and plus signs, the characters between a number's digits. */
    private static final String NUMBER_PUNCTUATION = "+\uff0b-x\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc\uff0d\uff0e\uff0f "
            + "\u00a0\u00ad\u200b\u2060\u3000()\uff08\uff09\uff3b\uff3d.[]/~\u2053\u223c\uff5e";
    /** An extension after a run of number characters: its label (as libphonenumber's, and Chinese 转, 分机) and digits. */
    private static final Pattern EXTENSION = Pattern.compile("[ \\u00a0]*[,;]?[ \\u00a0]*(?:e?xt(?:ension|n)?\\.?|ｅ?ｘｔｎ?|anexo|доб|int|[#＃]"
            + "|转|分机)[.:：]?[ \\u00a0]*\\d{1,7}#?");

    private final List<String> regions;
    private final Leniency leniency;
    private final boolean chinese;
    /** Per region, the lengths a number written as bare digits without a leading 0 can have (null: any). */
    private final List<boolean[]> bareLengths = new ArrayList<>();

    /** A finder for numbers in the national forms of {@code regions} (upper case, as libphonenumber names them). */
    PhoneNumbers(List<String> regions, Leniency leniency) {
        // "ZZ", the unknown region, finds numbers in international form only.
        this.regions = regions.isEmpty() ? List.of("ZZ") : List.copyOf(regions);
        this.leniency = leniency;
        this.chinese = regions.contains("CN");
        for (String region : this.regions) {
            bareLengths.add(bareLengths(region));
        }
    }

    /**
     * The lengths of a region's national significant numbers (local-only ones too), and of them after its national
     * prefix: the only lengths a run of bare digits found with the region can have (libphonenumber reads such a run
     * whole, or not at all), unless it starts with 0 (an international or trunk prefix, not counted here). Null when
     * the metadata lists none.
     */
    private static boolean[] bareLengths(String region) {
        if (!UTIL.getSupportedRegions().contains(region)) {
            return null;
        }
        Phonemetadata.PhoneMetadata m = DefaultMetadataDependenciesProvider.getInstance().getPhoneNumberMetadataSource()
                .getMetadataForRegion(region);
        if (m == null || m.getGeneralDesc().getPossibleLengthCount() == 0) {
            return null;
        }
        List<Integer> lengths = new ArrayList<>(m.getGeneralDesc().getPossibleLengthList());
        lengths.addAll(m.getGeneralDesc().getPossibleLengthLocalOnlyList());
        int prefix = m.getNationalPrefix().length();
        boolean[] ok = new boolean[64];
        for (int n : lengths) {
            ok[Math.min(63, n)] = true;
            ok[Math.min(63, n + prefix)] = true;
        }
        return ok;
    }

    /** The regions libphonenumber knows (ISO 3166-1 alpha-2, upper case). */
    static boolean knownRegion(String region) {
        return UTIL.getSupportedRegions().contains(region.toUpperCase(Locale.ROOT));
    }

    static Detector detector(List<String> regions, Leniency leniency) {
        return Detector.found("phone", "<PHONE>", new PhoneNumbers(regions, leniency), PhoneNumbers::plausible,
                Detector.digits(MIN_DIGITS), Detector.Scope.digitClusters(MIN_DIGITS, GAP, MARGIN));
    }

    /** Enough digits, and not a date or a time. */
    static boolean plausible(String s) {
        return PiiDetectors.digits(s).length() >= MIN_DIGITS && !DATE_OR_TIME.matcher(s).matches();
    }

    @Override
    public void find(String text, int from, int to, Detector.SpanSink found) {
        List<int[]> kept = new ArrayList<>();
        Matcher extension = EXTENSION.matcher(text);
        for (int i = from; i < to; ) {
            if (!inNumber(text.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            int first = -1;
            int last = -1;
            int digits = 0;
            for (char c; i < to && inNumber(c = text.charAt(i)); i++) {
                if (c >= '0' && c <= '9') {
                    digits++;
                    last = i;
                    first = first < 0 ? i : first;
                }
            }
            if (digits > 0 && extension.region(i, to).lookingAt()) {
                i = extension.end();
                digits += PiiDetectors.digits(extension.group()).length();
                last = i - 1;
            }
            if (digits >= MIN_DIGITS && !NOT_A_NUMBER.matcher(text).region(first, last + 1).matches() && found.free(first, last + 1)) {
                numbers(text, start, i, kept);
            }
        }
        kept.sort(Comparator.comparingInt(s -> s[0]));
        for (int[] s : kept) {
            found.accept(s[0], s[1]);
        }
    }

    /**
     * The numbers in one run of the characters numbers are written with: libphonenumber is given the run and a
     * character either side (what it checks a number's neighbours against), region after region until fewer than
     * {@value #MIN_DIGITS} of the run's digits are left outside the numbers found. Overlapping spans: the first
     * found wins (an extension's span, then the regions in order).
     */
    private void numbers(String text, int start, int end, List<int[]> kept) {
        int from = Math.max(0, start - 1);
        String window = text.substring(from, Math.min(text.length(), end + 1));
        List<int[]> spans = new ArrayList<>();
        if (chinese) {
            Matcher m = CN_EXTENSION.matcher(window);
            while (m.find()) {
                if (chineseLandline(m.group(1))) {
                    spans.add(new int[] {from + m.start(), from + m.end()});
                }
            }
        }
        int bare = bareDigits(text, start, end);
        for (int r = 0; r < regions.size(); r++) {
            String region = regions.get(r);
            if (uncoveredDigits(text, start, end, spans) < MIN_DIGITS) {
                break;
            }
            boolean[] lengths = bareLengths.get(r);
            if (bare > 0 && lengths != null && !lengths[Math.min(63, bare)]) {
                continue;
            }
            for (PhoneNumberMatch m : UTIL.findNumbers(window, region, leniency, Long.MAX_VALUE)) {
                if (written(m, region)) {
                    spans.add(new int[] {from + m.start(), from + m.end()});
                }
            }
        }
        for (int[] s : spans) {
            if (kept.stream().noneMatch(k -> s[0] < k[1] && k[0] < s[1])) {
                kept.add(s);
            }
        }
    }

    /** The number of digits when the run is bare digits not starting with 0 (what surrounds them aside), else 0. */
    private static int bareDigits(String text, int start, int end) {
        int first = start;
        while (first < end && !(text.charAt(first) >= '0' && text.charAt(first) <= '9')) {
            first++;
        }
        int last = end;
        while (last > first && !(text.charAt(last - 1) >= '0' && text.charAt(last - 1) <= '9')) {
            last--;
        }
        if (first == last || text.charAt(first) == '0' || first > start && "+\uff0b".indexOf(text.charAt(first - 1)) >= 0) {
            return 0;
        }
        for (int i = first; i < last; i++) {
            if (!(text.charAt(i) >= '0' && text.charAt(i) <= '9')) {
                return 0;
            }
        }
        return last - first;
    }

    private static int uncoveredDigits(String text, int start, int end, List<int[]> spans) {
        int n = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9' && !covered(i, spans)) {
                n++;
            }
        }
        return n;
    }

    private static boolean covered(int i, List<int[]> spans) {
        for (int[] s : spans) {
            if (s[0] <= i && i < s[1]) {
                return true;
            }
        }
        return false;
    }

    /** A character libphonenumber reads as part of a number: a digit, a plus sign, a bracket or its VALID_PUNCTUATION. */
    static boolean inNumber(char c) {
        return c >= '0' && c <= '9' || c >= '\uff10' && c <= '\uff19' || NUMBER_PUNCTUATION.indexOf(c) >= 0;
    }

    /**
     * A number found as people write one: not a bare run of digits that starts with the country code without its
     * {@code +} ({@code 492931551433213} is no German number), and, found with region CN, in international form, a
     * mobile number, or a landline with its trunk prefix 0. libphonenumber also takes a Chinese landline without the
     * 0 ({@code 555 1234567}, {@code (555) 123-4567}), which is how other regions write their numbers and how many
     * digit runs look.
     */
    private static boolean written(PhoneNumberMatch m, String region) {
        String raw = m.rawString();
        if (raw.equals(m.number().getCountryCode() + UTIL.getNationalSignificantNumber(m.number()))) {
            return false;
        }
        raw = raw.replaceFirst("^[(（\\[［]", "");
        if (!region.equals("CN") || raw.startsWith("+") || raw.startsWith("＋") || raw.startsWith("00")
                || m.number().getCountryCode() != 86) {
            return true;
        }
        return raw.startsWith("0") || UTIL.getNumberType(m.number()) == PhoneNumberType.MOBILE;
    }

    /** A valid Chinese fixed-line number, in national or international form. */
    static boolean chineseLandline(String number) {
        try {
            PhoneNumber n = UTIL.parse(number, "CN");
            PhoneNumberType type = UTIL.getNumberType(n);
            return n.getCountryCode() == 86 && UTIL.isValidNumber(n)
                    && (type == PhoneNumberType.FIXED_LINE || type == PhoneNumberType.FIXED_LINE_OR_MOBILE);
        } catch (NumberParseException e) {
            return false;
        }
    }
}
