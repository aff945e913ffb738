package org.rlhf4j.host.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Secrets in a run's config, masked wherever the host prints or writes them: the values of keys that hold one
 * (api keys, tokens, passwords, every request header), the password of a URL ({@code scheme://user:pw@host},
 * {@code ...?password=pw}), and the values of the environment variables that keys such as {@code api-key-env}
 * name. {@link #mask(Config)} is what config.resolved.conf and {@code rlhf config} show; {@link #scrub(String)}
 * is applied to every log line and error message, with the values {@link #remember(Config)} collected.
 */
public final class Secrets {

    /** What replaces a secret. */
    public static final String MASK = "***";

    /** A key's last segment that names a secret: the word itself or ending in -word / _word. */
    private static final Pattern SECRET_KEY = Pattern.compile(
            "(?i)(?:.*[-_])?(?:api[-_]?key|apikey|password|passwd|pwd|secret|token|auth|authorization|credentials?|cookie)");
    /** A key naming the environment variable that holds a secret (e.g. api-key-env, bearer-token-env). */
    private static final Pattern SECRET_ENV_KEY = Pattern.compile(
            "(?i)(?:.*[-_])?(?:api[-_]?key|password|secret|token|credentials?)[-_]env");
    private static final Pattern URL_PASSWORD = Pattern.compile("(\\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\\s:/@]+:)([^\\s@/]+)(@)");
    private static final Pattern QUERY_PASSWORD = Pattern.compile("(?i)([?&;](?:password|passwd|pwd|secret|token)=)([^&;\\s]+)");
    /** Secrets shorter than this are not scrubbed from free text (they would match ordinary words). */
    private static final int MIN_SCRUBBED = 6;

    private static final Set<String> REMEMBERED = ConcurrentHashMap.newKeySet();
    /** {@link #REMEMBERED}, longest first (so a secret that contains another is masked whole): what scrub walks. */
    private static volatile List<String> longestFirst = List.of();

    private Secrets() {
    }

    /** Whether the value at {@code path} is a secret: a secret-like last segment, or any value under {@code headers}. */
    public static boolean secretKey(String path) {
        List<String> parts = ConfigUtil.splitPath(path);
        String last = parts.get(parts.size() - 1);
        return SECRET_KEY.matcher(last).matches() || parts.subList(0, parts.size() - 1).contains("headers");
    }

    /** {@code config} with every secret value replaced by {@link #MASK} (origins kept) and URL passwords masked. */
    public static Config mask(Config config) {
        Config out = config;
        for (Map.Entry<String, ConfigValue> e : config.entrySet()) {
            ConfigValue v = e.getValue();
            if (v.valueType() != ConfigValueType.STRING) {
                continue;
            }
            String s = (String) v.unwrapped();
            String masked = secretKey(e.getKey()) && !s.isEmpty() ? MASK : maskUrls(s);
            if (!masked.equals(s)) {
                out = out.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(masked).withOrigin(v.origin()));
            }
        }
        return out;
    }

    /** Remembers the secret values of {@code config} (and of the environment variables it names) for {@link #scrub}. */
    public static void remember(Config config) {
        for (Map.Entry<String, ConfigValue> e : config.entrySet()) {
            if (e.getValue().valueType() != ConfigValueType.STRING) {
                continue;
            }
            String s = (String) e.getValue().unwrapped();
            List<String> parts = ConfigUtil.splitPath(e.getKey());
            if (secretKey(e.getKey())) {
                add(s.startsWith("Bearer ") ? s.substring(7) : s);
            } else if (SECRET_ENV_KEY.matcher(parts.get(parts.size() - 1)).matches() && !s.isBlank()) {
                String env = System.getenv(s);
                add(env == null ? "" : env);
            }
            for (Pattern p : List.of(URL_PASSWORD, QUERY_PASSWORD)) {
                Matcher m = p.matcher(s);
                while (m.find()) {
                    add(m.group(2));
                }
            }
        }
    }

    private static synchronized void add(String secret) {
        if (secret.length() >= MIN_SCRUBBED && REMEMBERED.add(secret)) {
            longestFirst = REMEMBERED.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        }
    }

    /** {@code text} with every remembered secret and every URL password replaced by {@link #MASK}. */
    public static String scrub(String text) {
        if (text == null) {
            return null;
        }
        String out = maskUrls(text);
        for (String s : longestFirst) { // every log line passes here: no sorting, no allocation when nothing matches
            if (out.contains(s)) {
                out = out.replace(s, MASK);
            }
        }
        return out;
    }

    /** URL passwords masked: {@code https://user:***@host}, {@code ...?password=***}. */
    static String maskUrls(String s) {
        if (s.indexOf('@') < 0 && s.indexOf('=') < 0) {
            return s;
        }
        String out = URL_PASSWORD.matcher(s).replaceAll("$1" + MASK + "$3");
        return QUERY_PASSWORD.matcher(out).replaceAll("$1" + MASK);
    }
}
