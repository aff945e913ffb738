package org.rlhf4j.host.filter;

import java.util.List;
import java.util.regex.Pattern;

/**
 * IP addresses, the {@code ip} detector ({@code <IP_ADDRESS>}): IPv4 in dotted decimal and IPv6 in every notation
 * of RFC 4291 and RFC 5952 (eight groups, groups compressed with {@code ::}, an IPv4 suffix as in
 * {@code 64:ff9b::192.0.2.33} or {@code ::ffff:1.2.3.4}) with an RFC 4007 zone id ({@code fe80::1%eth0}), and
 * optionally a CIDR prefix length ({@code /24}, redacted with the address). Each address is parsed and placed in
 * one of three kinds ({@link #kind}): public (redacted), private (private-use, shared, link-local, unique-local:
 * redacted only when {@code ip.private} is on) and the rest (loopback, unspecified, multicast, documentation,
 * benchmarking, reserved: never, they name no one). An IPv6 address embedding an IPv4 one (mapped, compatible,
 * NAT64) is of the IPv4 address's kind. Versions ({@code 1.2.3.4.5}), times ({@code 12:30:45}), dates and MAC
 * addresses do not parse as addresses.
 */
final class IpAddresses {

    private IpAddresses() {
    }

    /** What an address is, for redaction. */
    enum Kind { PUBLIC, PRIVATE, OTHER }

    private static final String OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";

    /** The IPv6 then the IPv4 detector: {@code redactPrivate} also redacts private addresses, {@code cidr} takes ranges. */
    static List<Detector> detectors(boolean redactPrivate, boolean cidr) {
        String prefix = cidr ? "(?:/\\d{1,3})?" : "";
        // Not after a letter, a digit, a dot, or an IPv6 group (the IPv4 suffix of an IPv6 address is the IPv6 detector's).
        Pattern v4 = Pattern.compile("(?<![\\w.]|:[0-9A-Fa-f]{0,4}:)(?:" + OCTET + "\\.){3}" + OCTET + prefix + "(?!\\d|\\.\\d|/\\d)");
        // Hex groups, colons and dots followed by a digit, at least two colons; then a zone id and a prefix length.
        Pattern v6 = Pattern.compile("(?<![\\w:.%])(?=[0-9A-Fa-f.]*:[0-9A-Fa-f.]*:)(?:[0-9A-Fa-f]{1,4}|:|\\.(?=\\d))++"
                + "(?:%[0-9A-Za-z_.~-]*[0-9A-Za-z])?" + prefix + "(?![\\w:%]|/\\d)");
        return List.of(
                new Detector("ip", "<IP_ADDRESS>", v6, 0, s -> redacted(kindOf6(s), redactPrivate), Detector.containsAny(":"),
                        Detector.Scope.of(PiiDetectors.DIGITS + PiiDetectors.LETTERS + ":.%_~-/", ':', 0)),
                new Detector("ip", "<IP_ADDRESS>", v4, 0, s -> redacted(kindOf4(s), redactPrivate), Detector.digits(4),
                        Detector.Scope.of(PiiDetectors.DIGITS + "./", '.', 4)));
    }

    private static boolean redacted(Kind kind, boolean redactPrivate) {
        return kind == Kind.PUBLIC || kind == Kind.PRIVATE && redactPrivate;
    }

    /** The kind of a dotted-decimal IPv4 address with an optional prefix length, or null when it is none. */
    static Kind kindOf4(String s) {
        int slash = s.indexOf('/');
        if (slash >= 0 && !prefixLength(s.substring(slash + 1), 32)) {
            return null;
        }
        int[] a = parse4(slash < 0 ? s : s.substring(0, slash));
        return a == null ? null : kind(a[0], a[1], a[2], a[3]);
    }

    /** The kind of an IPv6 address with an optional zone id and prefix length, or null when it is none. */
    static Kind kindOf6(String s) {
        int slash = s.indexOf('/');
        if (slash >= 0 && !prefixLength(s.substring(slash + 1), 128)) {
            return null;
        }
        String a = slash < 0 ? s : s.substring(0, slash);
        int zone = a.indexOf('%');
        int[] g = parse6(zone < 0 ? a : a.substring(0, zone));
        return g == null ? null : kind(g);
    }

    private static boolean prefixLength(String s, int max) {
        return !s.isEmpty() && s.length() <= 3 && s.chars().allMatch(Character::isDigit) && Integer.parseInt(s) <= max
                && (s.length() == 1 || s.charAt(0) != '0');
    }

    /** The four octets of {@code a.b.c.d} (decimal, 0-255, no leading zeros), or null. */
    static int[] parse4(String s) {
        String[] p = s.split("\\.", -1);
        if (p.length != 4) {
            return null;
        }
        int[] a = new int[4];
        for (int i = 0; i < 4; i++) {
            if (p[i].isEmpty() || p[i].length() > 3 || !p[i].chars().allMatch(Character::isDigit)
                    || p[i].length() > 1 && p[i].charAt(0) == '0') {
                return null;
            }
            a[i] = Integer.parseInt(p[i]);
            if (a[i] > 255) {
                return null;
            }
        }
        return a;
    }

    /** The eight 16-bit groups of an IPv6 address in any RFC 4291 text form, or null. */
    static int[] parse6(String s) {
        int[] g = new int[8];
        String head = s;
        String tail = null;
        int dc = s.indexOf("::");
        if (dc >= 0) {
            if (s.indexOf("::", dc + 1) >= 0) {
                return null;
            }
            head = s.substring(0, dc);
            tail = s.substring(dc + 2);
        }
        int[] h = groups(head, tail == null);
        int[] t = tail == null ? new int[0] : groups(tail, true);
        if (h == null || t == null || (tail == null ? h.length != 8 : h.length + t.length > 7)) {
            return null;
        }
        System.arraycopy(h, 0, g, 0, h.length);
        System.arraycopy(t, 0, g, 8 - t.length, t.length);
        return g;
    }

    /** The groups of one side of {@code ::}; the last may be a dotted IPv4 address (two groups) when {@code last}. */
    private static int[] groups(String s, boolean last) {
        if (s.isEmpty()) {
            return new int[0];
        }
        String[] p = s.split(":", -1);
        int[] out = new int[p.length + 1];
        int n = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i].indexOf('.') >= 0) {
                int[] v4 = i == p.length - 1 && last ? parse4(p[i]) : null;
                if (v4 == null) {
                    return null;
                }
                out[n++] = v4[0] << 8 | v4[1];
                out[n++] = v4[2] << 8 | v4[3];
            } else if (p[i].isEmpty() || p[i].length() > 4) {
                return null;
            } else {
                out[n++] = Integer.parseInt(p[i], 16);
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** The kind of an IPv4 address (RFC 6890's special-purpose registry). */
    static Kind kind(int a, int b, int c, int d) {
        if (a == 10 || a == 172 && b >= 16 && b <= 31 || a == 192 && b == 168 || a == 100 && b >= 64 && b <= 127
                || a == 169 && b == 254) {
            return Kind.PRIVATE;
        }
        boolean special = a == 0 || a == 127 || a >= 224 || a == 192 && b == 0 && (c == 0 || c == 2)
                || a == 198 && b == 51 && c == 100 || a == 203 && b == 0 && c == 113 || a == 198 && (b == 18 || b == 19);
        return special ? Kind.OTHER : Kind.PUBLIC;
    }

    /** The kind of an IPv6 address (RFC 6890, RFC 9637's 3fff::/20); one embedding an IPv4 address is of its kind. */
    static Kind kind(int[] g) {
        boolean zero80 = g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0;
        boolean mapped = zero80 && g[5] == 0xffff;
        boolean compatible = zero80 && g[5] == 0 && g[6] != 0;
        boolean nat64 = g[0] == 0x64 && g[1] == 0xff9b && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0;
        if (mapped || compatible || nat64) {
            return kind(g[6] >> 8, g[6] & 0xff, g[7] >> 8, g[7] & 0xff);
        }
        if ((g[0] & 0xfe00) == 0xfc00 || (g[0] & 0xffc0) == 0xfe80 || (g[0] & 0xffc0) == 0xfec0) {
            return Kind.PRIVATE;
        }
        boolean global = (g[0] & 0xe000) == 0x2000;
        boolean special = g[0] == 0x2001 && g[1] == 0x0db8 || g[0] == 0x3fff && (g[1] & 0xf000) == 0
                || g[0] == 0x2001 && g[1] == 0x0002 && g[2] == 0;
        return global && !special ? Kind.PUBLIC : Kind.OTHER;
    }
}
