package org.rlhf4j.host.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;

/**
 * The checks a token's own format carries, and the tests that tell a random value from a placeholder: one
 * function per check, so each can be tested on known-good and tampered values.
 */
public final class SecretChecks {

    private SecretChecks() {
    }

    /** The alphabet of GitHub's and npm's base62 checksums: digits, then upper case, then lower case. */
    static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /** CRC32 of {@code body} (its UTF-8 bytes) in base62, left-padded with '0' to 6 characters. */
    public static String crc32Base62(String body) {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.UTF_8));
        long v = crc.getValue();
        char[] out = new char[6];
        for (int i = 5; i >= 0; i--) {
            out[i] = BASE62.charAt((int) (v % 62));
            v /= 62;
        }
        return new String(out);
    }

    /**
     * GitHub's tokens since 2021 ({@code ghp_}, {@code gho_}, {@code ghu_}, {@code ghs_}, {@code ghr_}) and npm's
     * ({@code npm_}): a prefix, an underscore, 30 random base62 characters and the 6-character base62 CRC32 of those 30.
     */
    public static boolean validBase62Checksum(String token) {
        int u = token.indexOf('_');
        String body = token.substring(u + 1);
        if (u < 0 || body.length() != 36) {
            return false;
        }
        return crc32Base62(body.substring(0, 30)).equals(body.substring(30));
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The bytes of base64 (standard or URL-safe, padding optional), or null when it is not base64. */
    static byte[] base64(String s) {
        String t = s.replace('-', '+').replace('_', '/');
        int pad = t.indexOf('=');
        t = pad >= 0 ? t.substring(0, pad) : t;
        if (t.length() % 4 == 1) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(t + "==".substring(0, (4 - t.length() % 4) % 4));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** True when {@code s} is base64 of a JSON object. */
    public static boolean base64Json(String s) {
        byte[] b = base64(s);
        if (b == null || b.length < 2 || b[0] != '{') {
            return false;
        }
        try {
            JsonNode n = JSON.readTree(b);
            return n != null && n.isObject();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** A JSON Web Token: header and payload (the first two dot-separated parts) both base64url of a JSON object. */
    public static boolean validJwt(String jwt) {
        String[] parts = jwt.split("\\.", -1);
        return parts.length == 3 && base64Json(parts[0]) && base64Json(parts[1]);
    }

    /** The first part of a Discord bot token: base64 of the bot's user id, a snowflake of 17 to 20 digits. */
    public static boolean discordUserId(String token) {
        byte[] b = base64(token.substring(0, token.indexOf('.')));
        if (b == null || b.length < 17 || b.length > 20 || b[0] == '0') {
            return false;
        }
        for (byte c : b) {
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static final String BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

    /** A bech32 string (BIP 173; age's keys are bech32, of any length): human-readable part, '1', data, 6-character checksum. */
    public static boolean validBech32(String s) {
        String l = s.toLowerCase(Locale.ROOT);
        int sep = l.lastIndexOf('1');
        if (sep < 1 || l.length() - sep - 1 < 6) {
            return false;
        }
        int chk = 1;
        for (int i = 0; i < sep; i++) {
            chk = bech32Step(chk) ^ (l.charAt(i) >> 5);
        }
        chk = bech32Step(chk);
        for (int i = 0; i < sep; i++) {
            chk = bech32Step(chk) ^ (l.charAt(i) & 31);
        }
        for (int i = sep + 1; i < l.length(); i++) {
            int v = BECH32.indexOf(l.charAt(i));
            if (v < 0) {
                return false;
            }
            chk = bech32Step(chk) ^ v;
        }
        return chk == 1;
    }

    private static int bech32Step(int chk) {
        int[] gen = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
        int top = chk >>> 25;
        chk = (chk & 0x1ffffff) << 5;
        for (int i = 0; i < 5; i++) {
            if ((top >> i & 1) != 0) {
                chk ^= gen[i];
            }
        }
        return chk;
    }

    /** Shannon entropy of a string in bits per character. */
    public static double entropy(String s) {
        if (s.isEmpty()) {
            return 0;
        }
        int[] ascii = new int[128];
        java.util.Map<Character, Integer> other = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 128) {
                ascii[c]++;
            } else {
                other = other == null ? new java.util.HashMap<>() : other;
                other.merge(c, 1, Integer::sum);
            }
        }
        double h = 0;
        double n = s.length();
        for (int c : ascii) {
            h -= c == 0 ? 0 : c / n * Math.log(c / n);
        }
        if (other != null) {
            for (int c : other.values()) {
                h -= c / n * Math.log(c / n);
            }
        }
        return h / Math.log(2);
    }

    private static final List<String> PLACEHOLDERS = List.of("xxxx", "your", "example", "changeme", "change_me", "placeholder", "<", ">",
            "${", "{{", "$(", "%(", "****", "....", "dummy", "redacted", "replace", "insert", "secret_here", "key_here", "token_here",
            "fake", "sample", "0000000", "1234567890", "abcdef123", "aaaaaa", "todo");

    /** A value that stands for a secret rather than being one: {@code xxxx}, {@code your_key_here}, {@code ${VAR}} ... */
    public static boolean placeholder(String v) {
        for (String p : PLACEHOLDERS) {
            // in one case, as people write them (your_key, YOUR_KEY, Your): random text of mixed case rarely spells
            // one, where ignoring case would turn "vtODOSh" into "todo"
            if (v.contains(p) || v.contains(p.toUpperCase(Locale.ROOT))
                    || v.contains(Character.toUpperCase(p.charAt(0)) + p.substring(1))) {
                return true;
            }
        }
        return v.startsWith("$") || v.startsWith("%") || v.startsWith("env:") || v.startsWith("process.env");
    }

    /**
     * The entropy a random hex body behind a known prefix must reach: 32 random hex digits average 3.6 bits a character
     * and fall below 3.0 now and then; 2.5 still turns away {@code 0000...}, {@code abcabc...} and the like.
     */
    static final double HEX_BODY = 2.5;

    /** The body of a token (no placeholder, at least {@code minEntropy} bits per character). */
    static boolean randomBody(String v, double minEntropy) {
        return !placeholder(v) && entropy(v) >= minEntropy;
    }

    /** Upper and lower case letters and digits all present (random base62 of some length has all three). */
    static boolean mixed(String v) {
        boolean upper = false;
        boolean lower = false;
        boolean digit = false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            upper |= c >= 'A' && c <= 'Z';
            lower |= c >= 'a' && c <= 'z';
            digit |= c >= '0' && c <= '9';
        }
        return upper && lower && digit;
    }

    /**
     * Words and short numbers joined by {@code _ - . /} ({@code user_id_2023_backup}, {@code prod-db-01},
     * {@code config/keys/prod2.pem}): names and paths, not secrets.
     */
    static boolean wordy(String v) {
        String[] parts = v.split("[_.\\-/ :]+");
        if (parts.length < 2) {
            return v.matches("[A-Za-z][a-z]+(?:[A-Z][a-z]+)*\\d{0,4}");
        }
        for (String p : parts) {
            if (!p.isEmpty() && !p.matches("[A-Za-z][a-z]*\\d{0,4}|[A-Z]+\\d{0,4}|\\d{1,4}|[a-z]{1,3}\\d+")) {
                return false;
            }
        }
        return true;
    }

    /**
     * A value assigned to a key-like name that looks like a secret: at least {@code minLength} characters and
     * {@code minEntropy} bits per character, letters and digits, no placeholder, not a name or path, and not
     * carrying the prefix of a token whose family checks it (a look-alike that fails its family's check is not a
     * secret here either). Values all of hex digits need half a bit less.
     */
    public static boolean looksRandom(String v, int minLength, double minEntropy) {
        if (v.length() < minLength || claimedByFamily(v) || placeholder(v) || wordy(v)) {
            return false;
        }
        boolean letter = false;
        boolean digit = false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            letter |= c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z';
            digit |= c >= '0' && c <= '9';
        }
        // Hex has 16 symbols, so its entropy tops out at 4 bits: detect-secrets holds hex to 3.0 where base64 gets 4.5;
        // here hex values get half a bit less than the rest.
        boolean hex = v.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F');
        return letter && digit && entropy(v) >= (hex ? minEntropy - 0.5 : minEntropy);
    }

    private static final List<String> FAMILY_PREFIXES = List.of("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "npm_", "eyJ",
            "AKIA", "ASIA", "glpat-", "xox", "sk-", "sk_", "rk_", "AIza", "hf_", "SG.", "shp", "dop_v1_", "AGE-SECRET-KEY-", "dapi",
            "PMAK-", "dp.", "lin_api_", "pypi-", "hvs.", "glc_", "glsa_", "sntry", "sq0", "HRKU-", "GOCSPX-", "whsec_", "pk_live_", "pk_test_", "GR1348941", "sntry");
    private static final java.util.regex.Pattern GITLAB_PREFIX = java.util.regex.Pattern.compile("gl[a-z]{2,6}-.*");

    static boolean claimedByFamily(String v) {
        if (GITLAB_PREFIX.matcher(v).matches()) {
            return true;
        }
        for (String p : FAMILY_PREFIXES) {
            if (v.startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}
