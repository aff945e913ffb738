package org.rlhf4j.host.filter;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Private key blocks ({@code private-key}, redacted whole as {@code <PRIVATE_KEY>}): PEM of every kind
 * ({@code -----BEGIN [RSA |DSA |EC |OPENSSH |ENCRYPTED |ANY ...]PRIVATE KEY-----}, RFC 7468), PGP armor
 * ({@code -----BEGIN PGP PRIVATE KEY BLOCK-----}, RFC 4880), SSH.com's SSH2 format ({@code ---- BEGIN SSH2
 * ENCRYPTED PRIVATE KEY ----}, RFC 4716 framing) and PuTTY's {@code .ppk} files (from {@code PuTTY-User-Key-File-N:}
 * through {@code Private-MAC:}). A block must hold at least 64 base64 characters of key: a header alone, or a
 * block whose body is {@code ...} or a placeholder, leaks nothing. Inside JSON strings the lines are joined by
 * {@code \n} escapes (Google's service-account files), which count as line breaks. A PEM block cut off before its
 * END line (a truncated paste) is redacted through its last base64 line.
 */
final class KeyBlockDetectors {

    private KeyBlockDetectors() {
    }

    static final String TAG = "<PRIVATE_KEY>";

    // A line break in a file, or the two characters \n inside a JSON or code string.
    private static final String NL = "(?:\\r?\\n|\\\\(?:r\\\\)?n)";

    static final Detector PEM = new Detector("private-key", TAG, Pattern.compile(
            "-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY((?: BLOCK)?)-----"
                    + "(?:[\\s\\S]{0,20000}?-----END \\1PRIVATE KEY\\2-----"
                    // no END: the base64 lines (and PEM or armor headers) that follow, up to the first line of other text
                    + "|(?:" + NL + "|[ \\t])+(?:[A-Za-z-]+: [^\\n\\\\]*" + NL + ")*(?:[A-Za-z0-9+/=]{16,}[ \\t]*(?:" + NL + "|$))+)"),
            0, KeyBlockDetectors::holdsKey, Detector.containsAny("PRIVATE KEY"));

    static final Detector SSH2 = new Detector("private-key", TAG, Pattern.compile(
            "---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----[\\s\\S]{0,20000}?---- END SSH2 ENCRYPTED PRIVATE KEY ----"),
            0, KeyBlockDetectors::holdsKey, Detector.containsAny("SSH2 ENCRYPTED PRIVATE KEY"));

    static final Detector PUTTY = new Detector("private-key", TAG, Pattern.compile(
            "PuTTY-User-Key-File-\\d: [\\s\\S]{0,20000}?Private-MAC: [0-9a-fA-F]{40,64}"),
            0, s -> s.contains("Private-Lines:") && holdsKey(s), Detector.containsAny("PuTTY-User-Key-File-"));

    static final List<Detector> ALL = List.of(PEM, SSH2, PUTTY);

    /**
     * At least 64 base64 characters on lines that are neither the BEGIN/END lines nor headers ({@code Proc-Type:},
     * {@code Comment:} ...), and no {@code ...} or placeholder in them.
     */
    private static final Pattern MARKERS = Pattern.compile("\\.\\.\\.|…|[<>{}$]|xxxx|XXXX|your|YOUR");

    static boolean holdsKey(String block) {
        int key = 0;
        for (String line : block.split("\\r?\\n|\\\\(?:r\\\\)?n")) {
            String t = line.strip();
            if (t.startsWith("-----") || t.startsWith("---- ") || t.contains(": ") || t.isEmpty()) {
                continue;
            }
            if (MARKERS.matcher(t).find()) {
                return false;
            }
            for (int i = 0; i < t.length(); i++) {
                char c = t.charAt(i);
                key += c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' ? 1 : 0;
            }
        }
        return key >= 64;
    }
}
