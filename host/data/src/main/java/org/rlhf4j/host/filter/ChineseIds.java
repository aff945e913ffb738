package org.rlhf4j.host.filter;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Chinese identity numbers, the {@code cn-id} detector ({@code <ID_NUMBER>}), in the forms the common Chinese
 * validators accept:
 * <ul>
 * <li>the resident identity card of GB 11643-1999: 6-digit area code (its first two digits a province), birth date
 * {@code yyyyMMdd}, 3-digit sequence, and a check character ({@link #gb11643Check}, ISO 7064 MOD 11-2);</li>
 * <li>the 15-digit card issued before 1999: area code, birth date {@code yyMMdd} (19yy), sequence, no check;</li>
 * <li>the residence permits for residents of Hong Kong, Macau and Taiwan (2018): 18 digits as a resident card, with
 * the area code {@code 810000}, {@code 820000} or {@code 830000};</li>
 * <li>the foreigner's permanent residence card of 2017: 15 characters, the holder's nationality (an ISO 3166-1
 * alpha-3 code), a 2-digit province where it was applied for, birth date {@code yyMMdd} and 4 digits (sequence and
 * a check digit whose formula is not published, so not checked);</li>
 * <li>and that of 2023: 18 digits starting with 9, a 2-digit province, a 3-digit nationality code, birth date
 * {@code yyyyMMdd}, sequence and a GB 11643 check character.</li>
 * </ul>
 * A birth date must be a real day between 1800 (1900 for the 15-digit forms) and today.
 */
final class ChineseIds {

    private ChineseIds() {
    }

    /** The province codes of GB/T 2260 (11 Beijing ... 65 Xinjiang), 71 Taiwan, 81 Hong Kong and 82 Macau. */
    private static final Set<String> PROVINCES = Set.of("11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34",
            "35", "36", "37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71",
            "81", "82");
    /** The mainland provinces, where a foreigner's card is applied for. */
    private static final Set<String> MAINLAND = PROVINCES.stream().filter(p -> p.charAt(0) < '7').collect(java.util.stream.Collectors.toSet());
    private static final Set<String> ALPHA3 = Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA3);

    private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final String CHECKS = "10X98765432";

    static Detector detector() {
        return new Detector("cn-id", "<ID_NUMBER>",
                Pattern.compile("(?<![0-9A-Za-z])(?:\\d{17}[0-9Xx]|\\d{15}|[A-Z]{3}\\d{12})(?![0-9A-Za-z])"), 0, ChineseIds::valid,
                Detector.digits(12), Detector.Scope.of(PiiDetectors.DIGITS + PiiDetectors.LETTERS, (char) 0, 12));
    }

    /** Any of the forms above, checked. */
    static boolean valid(String id) {
        if (id.length() == 18) {
            return valid18(id);
        }
        if (id.length() == 15 && Character.isLetter(id.charAt(0))) {
            return validForeign2017(id);
        }
        return id.length() == 15 && valid15(id);
    }

    /** The 18-digit forms: resident card, residence permits for Hong Kong, Macau and Taiwan residents, foreigner's card of 2023. */
    static boolean valid18(String id) {
        String area = id.substring(0, 2);
        boolean known = id.charAt(0) == '9' ? MAINLAND.contains(id.substring(1, 3))
                : id.startsWith("83") || PROVINCES.contains(area);
        if (!known || (area.equals("81") || area.equals("82") || area.equals("83")) && !id.startsWith("0000", 2)) {
            return false;
        }
        return birthDate(id, 6, 4, 1800) && Character.toUpperCase(id.charAt(17)) == gb11643Check(id);
    }

    /** The 15-digit card of before 1999; a number that is also a valid payment card is left to the card detector. */
    static boolean valid15(String id) {
        return PROVINCES.contains(id.substring(0, 2)) && id.charAt(0) != '8' && birthDate(id, 6, 2, 1900) && !CardNumbers.valid(id);
    }

    /** The foreigner's permanent residence card of 2017: nationality, province, birth date. */
    static boolean validForeign2017(String id) {
        return ALPHA3.contains(id.substring(0, 3)) && MAINLAND.contains(id.substring(3, 5)) && birthDate(id, 5, 2, 1900);
    }

    /**
     * GB 11643-1999 (ISO 7064 MOD 11-2): the check character of the first 17 digits, their sum weighted by
     * 2^(17-i) mod 11, mapped through {@code 10X98765432}.
     */
    static char gb11643Check(String id) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (id.charAt(i) - '0') * WEIGHTS[i];
        }
        return CHECKS.charAt(sum % 11);
    }

    /**
     * True when the digits at {@code at} are a birth date, {@code yyyyMMdd} ({@code yearDigits} 4) or
     * {@code yyMMdd} (2: 19yy), that is a real day from {@code minYear} to today.
     */
    static boolean birthDate(String s, int at, int yearDigits, int minYear) {
        int year = Integer.parseInt(s.substring(at, at + yearDigits)) + (yearDigits == 2 ? 1900 : 0);
        int month = Integer.parseInt(s.substring(at + yearDigits, at + yearDigits + 2));
        int day = Integer.parseInt(s.substring(at + yearDigits + 2, at + yearDigits + 4));
        if (year < minYear || month < 1 || month > 12 || day < 1) {
            return false;
        }
        try {
            return !LocalDate.of(year, month, day).isAfter(LocalDate.now());
        } catch (DateTimeException e) {
            return false;
        }
    }
}
