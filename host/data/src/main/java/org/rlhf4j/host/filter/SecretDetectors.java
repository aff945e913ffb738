package org.rlhf4j.host.filter;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The detectors of the {@code code-secrets} filter, after detect-secrets' plugins and gitleaks' rules (written here
 * from the formats the services document, not copied): one named family per kind of secret, each with its own tag,
 * {@code <} + the family's main word in upper case + {@code >} ({@code github-token}: {@code <GITHUB_TOKEN>},
 * {@code aws-key}: {@code <AWS_KEY>}; the generic assignments: {@code <SECRET>}). Every family has a cheap literal
 * trigger (its prefix, or a key word) or a {@link Detector.Scope}, so a text without any costs a few bit tests, and
 * checks its matches with the format's own test where it has one (CRC32, JSON parts, bech32, base64 of digits) and an
 * entropy and placeholder test where it does not. Overlaps go to the earlier family: key blocks, then tokens with a
 * prefix, then tokens known by context, then URL passwords, then the generic assignments.
 *
 * <ul>
 *   <li>{@link KeyBlockDetectors}: private-key</li>
 *   <li>{@link CodeHostTokenDetectors}: github-token, gitlab-token, npm-token, pypi-token, artifactory-token</li>
 *   <li>{@link StructuredTokenDetectors}: jwt, age-secret-key, grafana-token, sentry-token, vault-token, openai-key,
 *       anthropic-key, huggingface-token</li>
 *   <li>{@link ServiceTokenDetectors}: slack-token, slack-webhook, discord-bot-token, telegram-bot-token, twilio-key,
 *       sendgrid-key, mailchimp-key, stripe-key, square-token, shopify-token, postman-key, doppler-token, linear-key</li>
 *   <li>{@link CloudKeyDetectors}: aws-key, azure-storage-key, google-api-key, google-oauth-secret, ibm-cloud-key,
 *       cloudant-key, digitalocean-token, heroku-key, databricks-token</li>
 *   <li>{@link AssignmentDetectors}: basic-auth, high-entropy-assignment</li>
 * </ul>
 */
public final class SecretDetectors {

    private SecretDetectors() {
    }

    /** Every detector in order of precedence, the assignment ones built for {@code min-entropy} and {@code min-length}. */
    public static List<Detector> all(double minEntropy, int minLength) {
        List<Detector> all = new ArrayList<>(KeyBlockDetectors.ALL);
        Stream.of(CodeHostTokenDetectors.ALL, StructuredTokenDetectors.ALL, ServiceTokenDetectors.ALL, CloudKeyDetectors.ALL)
                .forEach(all::addAll);
        all.add(AssignmentDetectors.BASIC_AUTH);
        all.addAll(AssignmentDetectors.all(minEntropy, minLength));
        return List.copyOf(all);
    }

    /** The family names, in order of precedence: the values {@code detect} takes. */
    public static final List<String> FAMILIES = List.copyOf(names(all(3.5, 12)));

    private static Set<String> names(List<Detector> detectors) {
        Set<String> names = new LinkedHashSet<>();
        detectors.forEach(d -> names.add(d.name()));
        return names;
    }

    /**
     * A token's opening {@code prefix} (a regex of bounded length) and its left edge: no word character or dash before
     * it. The prefix comes first so that the regex engine tries a literal at each position rather than a lookbehind (the
     * lookbehind first costs some ten times more per character searched).
     */
    static String lead(String prefix) {
        return prefix + "(?<![\\w-]" + prefix + ")";
    }

    /** A token's right edge: no word character or dash after it (a full stop ending a sentence is fine). */
    static String after() {
        return "(?![\\w-])";
    }

    /**
     * A value assigned to a name: {@code name} (matched ignoring case, then up to 20 more name characters), an optional
     * closing quote, one of {@code = : := =>}, an optional opening quote, and the value (group 1) not followed by
     * another of {@code valueChars}.
     */
    static String assigned(String name, String value, String valueChars) {
        return "(?i:" + name + ")[\\w.-]{0,20}[\"'\\]]{0,2}[ \\t]*(?::=|=>|=|:)[ \\t]*[\"'`]?((?:" + value + "))(?!" + valueChars + ")";
    }

    /**
     * Trigger literals: each prefix followed by each hex digit, both cases ({@code AP} and a hex digit opens an
     * Artifactory password); {@code AKC} and {@code cmVmdGtu} (three or more characters) are taken as they are. Short
     * prefixes such as {@code AP} or {@code AC} alone would fire on most upper-case text.
     */
    static String[] withHexDigit(String... prefixes) {
        List<String> out = new ArrayList<>();
        for (String p : prefixes) {
            if (p.length() > 2) {
                out.add(p);
                continue;
            }
            for (char c : "0123456789abcdefABCDEF".toCharArray()) {
                out.add(p + c);
            }
        }
        return out.toArray(String[]::new);
    }

    private static final List<String> KEY_WORDS = List.of("key", "Key", "KEY", "secret", "Secret", "SECRET", "token", "Token", "TOKEN",
            "pass", "Pass", "PASS", "pwd", "Pwd", "PWD", "credential", "Credential", "CREDENTIAL");

    /** The trigger of the assignment rules: a key-like word anywhere in the text (literal searches, fast). */
    static boolean mentionsKey(TextScan text) {
        for (String k : KEY_WORDS) {
            if (text.contains(k)) {
                return true;
            }
        }
        return false;
    }

    /** Shannon entropy of a string in bits per character ({@link SecretChecks#entropy}). */
    public static double entropy(String s) {
        return SecretChecks.entropy(s);
    }
}
