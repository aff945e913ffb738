package org.rlhf4j.host.filter;

import java.util.ArrayList;
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
            "(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,20}://[^\\s:/@?#\"'<>{}\\[\\]`]{0,64}:([^\\s/@?#\"'<>{}\\[\\]`]{1,128})@"
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

    private static final String[] KEYWORDS = {"key", "secret", "token", "pass", "pwd", "credential"};

    /** The assignment detectors for values of at least {@code minLength} characters and {@code minEntropy} bits a character. */
    static List<Detector> all(double minEntropy, int minLength) {
        List<Detector> out = new ArrayList<>();
        java.util.function.Predicate<String> random = v -> SecretChecks.looksRandom(v, minLength, minEntropy);
        for (String k : KEYWORDS) {
            String upper = k.toUpperCase(java.util.Locale.ROOT);
            String capital = Character.toUpperCase(k.charAt(0)) + k.substring(1);
            out.add(new Detector("high-entropy-assignment", "<SECRET>", Pattern.compile(
                    "(?i:" + k + ")[A-Za-z0-9_.-]{0,40}(?:[\"']\\]?|\\])?[ \\t]*(?::=|=>|=|:|\\()[ \\t]*(?:[rbuf]|@)?([\"'`])"
                            + "([^\"'`\\s\\\\]{" + minLength + ",200})\\1"), 2, random, Detector.containsAny(k, upper, capital)));
        }
        out.add(new Detector("high-entropy-assignment", "<SECRET>", Pattern.compile(
                "(?m)^[ \\t]*(?:export[ \\t]+|set[ \\t]+)?[A-Za-z0-9_.-]*?(?i:key|secret|token|pass|pwd|credential)[A-Za-z0-9_.-]*"
                        + "[ \\t]*[=:][ \\t]*([^\\s\"'`#]{" + minLength + ",200})[ \\t]*\\r?$"), 1, random, SecretDetectors::mentionsKey));
        out.add(new Detector("high-entropy-assignment", "<SECRET>", Pattern.compile(
                "(?i:密钥|秘钥|令牌|密码|口令|api[ _-]?key|secret key|access token|token|password|passphrase)[ \\t]*"
                        + "(?:是|为|:|：|=|\\bis\\b|\\bwas\\b)[ \\t]*[:：]?[ \\t]*[\"'“「`]?"
                        + "([A-Za-z0-9+/=_~!@#$%^&*-]{" + minLength + ",200}(?:\\.[A-Za-z0-9+/=_~!@#$%^&*-]+)*)"), 1, random,
                s -> SecretDetectors.mentionsKey(s) || Detector.containsAny("密钥", "秘钥", "令牌", "密码", "口令").test(s)));
        return out;
    }
}
