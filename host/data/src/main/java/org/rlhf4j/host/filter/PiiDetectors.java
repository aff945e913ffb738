package org.rlhf4j.host.filter;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Detectors of personal data, after the BigCode PII pipeline (emails, IP addresses) and the usual
 * checksums: emails; public IPv4 and IPv6 addresses (private, loopback, link-local, carrier-grade NAT,
 * multicast and documentation ranges are not personal); phone numbers in international form and as
 * Chinese mobile numbers; Chinese resident ID numbers (GB 11643 checksum verified); payment card numbers
 * (Luhn verified, known issuer prefix); credentials in URLs ({@code scheme://user:password@host}).
 */
public final class PiiDetectors {

    private PiiDetectors() {
    }

    // The characters the patterns below are made of, for their scopes.
    private static final String DIGITS = "0123456789";
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    static final Detector URL_CREDENTIALS = new Detector("url-credentials", "<CREDENTIALS>",
            Pattern.compile("\\b[a-zA-Z][a-zA-Z0-9+.-]*://([^\\s:/@]+:[^\\s@/]+)@[^\\s/]+"), 1, s -> true, Detector.containsAny("://"));
    static final Detector EMAIL = new Detector("email", "<EMAIL>",
            Pattern.compile("(?<![\\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}"), 0, s -> true,
            Detector.containsAny("@"), Detector.Scope.of(LETTERS + DIGITS + "._%+-@", '@', 0));
    static final Detector CN_ID = new Detector("cn-id", "<ID_NUMBER>",
            Pattern.compile("(?<![0-9A-Za-z])[1-9]\\d{5}(?:18|19|20)\\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01])\\d{3}[0-9Xx](?![0-9A-Za-z])"),
            0, PiiDetectors::validChineseId, Detector.digits(17), Detector.Scope.of(DIGITS + "Xx", (char) 0, 17));
    static final Detector CARD = new Detector("card", "<CARD_NUMBER>",
            Pattern.compile("(?<![\\d-])\\d(?:[ -]?\\d){12,18}(?![\\d-])"), 0, PiiDetectors::validCard, Detector.digits(13),
            Detector.Scope.of(DIGITS + " -", (char) 0, 13));
    static final Detector CN_MOBILE = new Detector("phone", "<PHONE>",
            Pattern.compile("(?<![\\d+])(?:\\+?86[ -]?)?1[3-9]\\d[ -]?\\d{4}[ -]?\\d{4}(?!\\d)"), 0, s -> true, Detector.digits(11),
            Detector.Scope.of(DIGITS + "+ -", (char) 0, 11));
    static final Detector PHONE = new Detector("phone", "<PHONE>",
            Pattern.compile("(?<![\\w+])(?:\\+\\d{1,3}[ .-]?(?:\\(\\d{1,4}\\)[ .-]?)?\\d{1,4}(?:[ .-]?\\d{2,4}){2,4}"
                    + "|\\(\\d{3}\\)[ .-]?\\d{3}[ .-]\\d{4}|(?<!\\d)\\d{3}[.-]\\d{3}[.-]\\d{4})(?![\\w])"),
            0, s -> digits(s).length() >= 8 && digits(s).length() <= 15, Detector.digits(8), Detector.Scope.of(DIGITS + "+ .-()", (char) 0, 8));
    static final Detector IPV4 = new Detector("ip", "<IP_ADDRESS>",
            Pattern.compile("(?<![\\d.])(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?![\\d.])"),
            0, PiiDetectors::publicIpv4, Detector.digits(4), Detector.Scope.of(DIGITS + ".", '.', 4));
    static final Detector IPV6 = new Detector("ip", "<IP_ADDRESS>",
            Pattern.compile("(?i)(?<![\\w:])(?:[0-9a-f]{1,4}:){2,7}(?::|(?::[0-9a-f]{1,4}){1,6}|[0-9a-f]{1,4})(?![\\w:])"),
            0, PiiDetectors::publicIpv6, Detector.containsAny(":"), Detector.Scope.of(DIGITS + "abcdefABCDEF:", ':', 0));

    /** Every detector, by the names config uses ({@code email, ip, phone, cn-id, card, url-credentials}). */
    public static final List<Detector> ALL = List.of(URL_CREDENTIALS, EMAIL, CN_ID, CARD, CN_MOBILE, PHONE, IPV4, IPV6);

    static String digits(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** GB 11643-1999: weighted sum of the first 17 digits mod 11 picks the check character. */
    public static boolean validChineseId(String id) {
        int[] weights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
        String checks = "10X98765432";
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (id.charAt(i) - '0') * weights[i];
        }
        return Character.toUpperCase(id.charAt(17)) == checks.charAt(sum % 11);
    }

    /** Luhn check on 13-19 digits with a known issuer prefix (Visa, Mastercard, Amex, Discover, UnionPay, JCB, Diners). */
    public static boolean validCard(String raw) {
        String d = digits(raw);
        if (d.length() < 13 || d.length() > 19 || !d.matches("4.*|5[1-5].*|2[2-7].*|3[47].*|6011.*|65.*|62.*|35.*|30[0-5].*|36.*|38.*")) {
            return false;
        }
        int sum = 0;
        boolean dbl = false;
        for (int i = d.length() - 1; i >= 0; i--) {
            int v = d.charAt(i) - '0';
            if (dbl) {
                v *= 2;
                if (v > 9) {
                    v -= 9;
                }
            }
            sum += v;
            dbl = !dbl;
        }
        return sum % 10 == 0;
    }

    static boolean publicIpv4(String ip) {
        String[] p = ip.split("\\.");
        int a = Integer.parseInt(p[0]);
        int b = Integer.parseInt(p[1]);
        int c = Integer.parseInt(p[2]);
        return !(a == 0 || a == 10 || a == 127 || a >= 224
                || a == 169 && b == 254 || a == 172 && b >= 16 && b <= 31 || a == 192 && b == 168
                || a == 100 && b >= 64 && b <= 127
                || a == 192 && b == 0 && c == 2 || a == 198 && b == 51 && c == 100 || a == 203 && b == 0 && c == 113
                || a == 198 && (b == 18 || b == 19));
    }

    /** A public IPv6 address: 8 groups once "::" is expanded, outside the loopback, link-local, unique-local, multicast and documentation ranges. */
    static boolean publicIpv6(String ip) {
        String[] halves = ip.split("::", -1);
        if (halves.length > 2) {
            return false;
        }
        int groups = 0;
        for (String h : halves) {
            groups += h.isEmpty() ? 0 : h.split(":").length;
        }
        if (halves.length == 1 ? groups != 8 : groups > 7) {
            return false;
        }
        String firstGroup = halves[0].isEmpty() ? "0" : halves[0].split(":")[0];
        int first = Integer.parseInt(firstGroup, 16);
        boolean documentation = ip.toLowerCase(java.util.Locale.ROOT).startsWith("2001:db8:");
        return first != 0 && (first & 0xfe00) != 0xfc00 && (first & 0xffc0) != 0xfe80 && (first & 0xff00) != 0xff00 && !documentation;
    }
}
