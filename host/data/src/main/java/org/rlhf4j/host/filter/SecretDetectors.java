package org.rlhf4j.host.filter;


import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Detectors of secrets in code and text, after detect-secrets' plugins and gitleaks' rules: cloud
 * access keys (AWS key ids and secret keys, Google API keys), tokens of common services (GitHub,
 * GitLab, Slack tokens and webhooks, Stripe, OpenAI), private key blocks, JSON Web Tokens, and
 * high-entropy strings assigned to key-like names ({@code api_key = "..."}, {@code "password": "..."}),
 * which must mix letters and digits and reach {@code min-entropy} bits per character (detect-secrets'
 * keyword and high-entropy plugins combined; gitleaks' generic-api-key rule uses 3.5).
 */
public final class SecretDetectors {

    private SecretDetectors() {
    }

    private static final List<String> PLACEHOLDERS = List.of("xxxx", "your", "example", "changeme", "placeholder", "<", "${", "****", "dummy", "redacted");

    static final Detector PRIVATE_KEY = new Detector("private-key", "<SECRET>", Pattern.compile(
            "-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\\s\\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"), 0, s -> true, Detector.containsAny("PRIVATE KEY"));
    static final Detector AWS_KEY_ID = new Detector("aws-access-key", "<SECRET>",
            Pattern.compile("(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])"), 0, s -> true,
            Detector.containsAny("AKIA", "ASIA", "ABIA", "ACCA"));
    static final Detector AWS_SECRET = new Detector("aws-secret-key", "<SECRET>",
            Pattern.compile("(?i)aws_?secret_?(?:access_?)?key[\"']?\\s*[:=]\\s*[\"']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])"), 1, s -> true, SecretDetectors::mentionsKey);
    static final Detector GITHUB = new Detector("github-token", "<SECRET>",
            Pattern.compile("\\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\\b"), 0, s -> true,
            Detector.containsAny("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"));
    static final Detector GITLAB = new Detector("gitlab-token", "<SECRET>", Pattern.compile("\\bglpat-[A-Za-z0-9_-]{20}\\b"), 0, s -> true,
            Detector.containsAny("glpat-"));
    static final Detector SLACK = new Detector("slack-token", "<SECRET>",
            Pattern.compile("\\bxox[baprs]-[A-Za-z0-9-]{10,}|https://hooks\\.slack\\.com/services/T[A-Za-z0-9_]+/B[A-Za-z0-9_]+/[A-Za-z0-9_]+"), 0, s -> true,
            Detector.containsAny("xox", "hooks.slack.com"));
    static final Detector STRIPE = new Detector("stripe-key", "<SECRET>", Pattern.compile("\\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{24,}\\b"), 0, s -> true,
            Detector.containsAny("k_live_", "k_test_"));
    static final Detector GOOGLE = new Detector("google-api-key", "<SECRET>", Pattern.compile("\\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])"), 0, s -> true,
            Detector.containsAny("AIza"));
    static final Detector OPENAI = new Detector("openai-key", "<SECRET>", Pattern.compile("\\bsk-(?:proj-)?[A-Za-z0-9_-]{32,}\\b"), 0, s -> true,
            Detector.containsAny("sk-"));
    static final Detector JWT = new Detector("jwt", "<SECRET>",
            Pattern.compile("\\beyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}"), 0, s -> true,
            Detector.containsAny("eyJ"));

    private static final Pattern ASSIGNED = Pattern.compile("(?i)(?:key|secret|token|passw(?:or)?d|pwd|credential)[A-Za-z0-9_.-]{0,40}"
            + "[\"']?\\s*(?::=|=>|:|=)\\s*[\"'`]([^\"'`\\s]{8,})[\"'`]");

    /** The fixed detectors plus the entropy check for values assigned to key-like names. */
    public static List<Detector> all(double minEntropy, int minLength) {
        Detector assigned = new Detector("high-entropy-assignment", "<SECRET>", ASSIGNED, 1,
                v -> v.length() >= minLength && entropy(v) >= minEntropy && v.chars().anyMatch(Character::isDigit)
                        && v.chars().anyMatch(Character::isLetter) && !placeholder(v), SecretDetectors::mentionsKey);
        return List.of(PRIVATE_KEY, AWS_KEY_ID, AWS_SECRET, GITHUB, GITLAB, SLACK, STRIPE, GOOGLE, OPENAI, JWT, assigned);
    }

    private static final List<String> KEY_WORDS = List.of("key", "Key", "KEY", "secret", "Secret", "SECRET", "token", "Token", "TOKEN",
            "passw", "Passw", "PASSW", "pwd", "PWD", "credential", "Credential", "CREDENTIAL");

    /** The trigger of the assignment rules: a key-like word anywhere in the text (literal searches, fast). */
    static boolean mentionsKey(TextScan text) {
        for (String k : KEY_WORDS) {
            if (text.contains(k)) {
                return true;
            }
        }
        return false;
    }

    /** Shannon entropy of a string in bits per character. */
    public static double entropy(String s) {
        java.util.Map<Character, Integer> counts = new java.util.HashMap<>();
        for (int i = 0; i < s.length(); i++) {
            counts.merge(s.charAt(i), 1, Integer::sum);
        }
        double h = 0;
        for (int c : counts.values()) {
            double p = (double) c / s.length();
            h -= p * Math.log(p) / Math.log(2);
        }
        return h;
    }

    private static boolean placeholder(String v) {
        String l = v.toLowerCase(Locale.ROOT);
        return PLACEHOLDERS.stream().anyMatch(l::contains);
    }
}
