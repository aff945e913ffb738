package org.rlhf4j.host.filter;

import com.google.i18n.phonenumbers.PhoneNumberUtil.Leniency;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The detectors of personal data, one per family, by the names the {@code pii} filter's {@code detect} list uses:
 * {@code url-credentials} ({@code scheme://user:password@host}, the user may be empty as in {@code redis://:pw@host}; not a port taken for a password as in
 * {@code http://host:8080@x}), {@code email}, {@code ip} ({@link IpAddresses}), {@code cn-id} ({@link ChineseIds}),
 * {@code card} ({@link CardNumbers}) and {@code phone} ({@link PhoneNumbers}), in that order: where two overlap the
 * earlier wins, so a number that is an ID or a card is not also taken for a phone number.
 */
public final class PiiDetectors {

    private PiiDetectors() {
    }

    /** The family names, in the order their detectors run. */
    public static final List<String> FAMILIES = List.of("url-credentials", "email", "ip", "cn-id", "card", "phone");

    // The characters the patterns are made of, for their scopes.
    static final String DIGITS = "0123456789";
    static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    /** The settings the detectors take (the {@code pii} block's {@code phone} and {@code ip}). */
    public record Options(List<String> phoneRegions, Leniency phoneLeniency, boolean privateIps, boolean cidr) {
    }

    /** The detectors of {@code families}, in the order of {@link #FAMILIES}. */
    public static List<Detector> of(List<String> families, Options o) {
        List<Detector> out = new ArrayList<>();
        for (String f : FAMILIES) {
            if (!families.contains(f)) {
                continue;
            }
            switch (f) {
                case "url-credentials" -> out.add(URL_CREDENTIALS);
                case "email" -> out.add(EMAIL);
                case "ip" -> out.addAll(IpAddresses.detectors(o.privateIps(), o.cidr()));
                case "cn-id" -> out.add(ChineseIds.detector());
                case "card" -> out.add(CardNumbers.detector());
                case "phone" -> out.add(PhoneNumbers.detector(o.phoneRegions(), o.phoneLeniency()));
                default -> throw new IllegalArgumentException(f);
            }
        }
        return out;
    }

    static final Detector URL_CREDENTIALS = new Detector("url-credentials", "<CREDENTIALS>",
            Pattern.compile("\\b[a-zA-Z][a-zA-Z0-9+.-]*://([^\\s:/@]*:[^\\s@/]+)@[^\\s/]+"), 1, PiiDetectors::credentials,
            Detector.containsAny("://"));
    // Not a URL's user (ssh://git@host.example.org), nor what follows its "host:" (http://host:8080@x.example.org is a
    // host, a port and a path's '@').
    static final Detector EMAIL = new Detector("email", "<EMAIL>",
            Pattern.compile("(?<![\\w.+-]|://|://[^\\s/@:]{1,64}:)[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}"
                    + "(?![\\w-]|\\.[A-Za-z0-9])"), 0, PiiDetectors::email,
            Detector.containsAny("@"), Detector.Scope.of(LETTERS + DIGITS + "._%+-@", '@', 0));

    /** {@code user:password} of a URL, unless the "password" is a port number (the user then a host). */
    static boolean credentials(String userInfo) {
        String password = userInfo.substring(userInfo.indexOf(':') + 1);
        return !(password.length() <= 5 && password.chars().allMatch(Character::isDigit) && Integer.parseInt(password) <= 65535);
    }

    /** An address of RFC 5321's dot-atom shape: no dot first, last or twice in the local part, no label starting or ending with '-'. */
    static boolean email(String address) {
        int at = address.indexOf('@');
        String local = address.substring(0, at);
        if (local.startsWith(".") || local.endsWith(".") || local.contains("..") || local.length() > 64) {
            return false;
        }
        for (String label : address.substring(at + 1).split("\\.", -1)) {
            if (label.isEmpty() || label.startsWith("-") || label.endsWith("-") || label.length() > 63) {
                return false;
            }
        }
        return true;
    }

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
}
