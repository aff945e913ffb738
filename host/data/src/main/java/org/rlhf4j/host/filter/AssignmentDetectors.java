package org.rlhf4j.host.filter;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Secrets known by where they stand rather than by a prefix. Passwords in URLs ({@code basic-auth},
 * {@code scheme://user:password@host}, only the password redacted, as {@code <BASIC_AUTH>}; a "password" that is a
 * port number, or a placeholder such as {@code password}, {@code ${DB_PASS}} or {@code ****}, is not one). Values
 * assigned to key-like names ({@code high-entropy-assignment}, redacted as {@code <SECRET>}): quoted values after
 * {@code key}, {@code secret}, {@code token}, {@code pass}, {@code pwd} or {@code credential} names and one of
 * {@code = : := => (} (code, JSON, YAML, keyword arguments); unquoted values filling the rest of a line after such a
 * name ({@code .env}, shell, YAML, properties); and values after "password is", "密钥是", "令牌：" ... in prose.
 * A value must pass {@link SecretChecks#looksRandom} with {@code min-length} and {@code min-entropy}: detect-secrets'
 * keyword and high-entropy plugins combined, gitleaks' generic-api-key rule's 3.5 bits per character.
 */
final class AssignmentDetectors {

    private AssignmentDetectors() {
    }

    private static final String URL_CHARS;

    static {
        StringBuilder b = new StringBuilder();
        for (char c = '!'; c <= '~'; c++) {
            if ("\"'<>{}[]`".indexOf(c) < 0) {
                b.append(c);
            }
        }
        URL_CHARS = b.toString();
    }

    static final Detector BASIC_AUTH = new Detector("basic-auth", "<BASIC_AUTH>", Pattern.compile(
            "[A-Za-z](?<![A-Za-z0-9+.-][A-Za-z])[A-Za-z0-9+.-]{1,20}://[^\\s:/@?#\"'<>{}\\[\\]`]{0,64}:([^\\s/@?#\"'<>{}\\[\\]`]{1,128})@"
                    + "(?=[A-Za-z0-9\\[])"), 1, AssignmentDetectors::urlPassword, Detector.containsAny("://"),
            Detector.Scope.of(URL_CHARS, '@', 0));

    private static final List<String> PASSWORD_WORDS = List.of("password", "passwd", "pass", "pwd", "pw", "secret", "p", "x", "xxx",
            "user", "username", "token", "apikey", "api_key", "key", "changeme", "mypassword", "yourpassword", "pass123");

    /** A URL's password: not a port number, not a placeholder or the word "password". */
    static boolean urlPassword(String p) {
        if (p.matches("\\d{1,5}") || p.matches("[*xX.•]+") || SecretChecks.placeholder(p)) {
            return false;
        }
        return !PASSWORD_WORDS.contains(p.toLowerCase(java.util.Locale.ROOT));
    }

    private static final String KEY = "(?i:key|secret|token|pass|pwd|credential)";

    /**
     * The assignment detectors for values of at least {@code minLength} characters and {@code minEntropy} bits a
     * character. Each pattern opens with what is cheapest to test at every position (an operator character, a
     * four-character literal), looks ahead for a value of the right length, and only then looks behind for the key-like
     * name: a text full of names and operators costs about one character test per position.
     */
    static List<Detector> all(double minEntropy, int minLength) {
        java.util.function.Predicate<String> random = v -> SecretChecks.looksRandom(v, minLength, minEntropy);
        String value = "[^\"'`\\s\\\\]{" + minLength + ",200}";
        Detector quoted = new Detector("high-entropy-assignment", "<SECRET>", Pattern.compile(
                "[=:>(](?=[ \\t]*(?:[rbuf]|@)?([\"'`])" + value + "\\1)"
                        + "(?<=" + KEY + "[A-Za-z0-9_.-]{0,24}(?:[\"']\\]?|\\])?[ \\t]{0,4}(?::=|=>|=|:|\\())"
                        + "[ \\t]*(?:[rbuf]|@)?([\"'`])(" + value + ")\\2"), 3, random, SecretDetectors::mentionsKey);
        String bare = "[^\\s\"'`#]{" + minLength + ",200}";
        Detector line = new Detector("high-entropy-assignment", "<SECRET>", Pattern.compile(
                "(?m)[=:](?![/=:])(?=[ \\t]*" + bare + "[ \\t]*\\r?$)"
                        + "(?<=^[ \\t]{0,20}(?:export[ \\t]{1,4}|set[ \\t]{1,4})?[A-Za-z0-9_.-]{0,40}" + KEY + "[A-Za-z0-9_.-]{0,24}[ \\t]{0,4}[=:])"
                        + "[ \\t]*(" + bare + ")"), 1, random, SecretDetectors::mentionsKey);
        String prose = "[A-Za-z0-9+/=_~!@#$%^&*-]{" + minLength + ",200}(?:\\.[A-Za-z0-9+/=_~!@#$%^&*-]+)*";
        Detector chinese = new Detector("high-entropy-assignment", "<SECRET>", Pattern.compile(
                "(?:密钥|秘钥|令牌|密码|口令)[ \\t]*(?:是|为|:|：|=)[ \\t]*[\"'“「`]?(" + prose + ")"), 1, random,
                Detector.containsAny("密钥", "秘钥", "令牌", "密码", "口令"));
        Detector english = new Detector("high-entropy-assignment", "<SECRET>", Pattern.compile(
                " is (?<=(?i:api[ _-]?key|secret key|secret|access token|token|password|passphrase) is )[ \\t]*:?[ \\t]*[\"'`]?("
                        + prose + ")"), 1, random, s -> s.contains(" is ") && SecretDetectors.mentionsKey(s));
        return List.of(quoted, line, chinese, english);
    }
}
