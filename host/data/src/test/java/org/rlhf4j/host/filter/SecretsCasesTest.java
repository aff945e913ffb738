package org.rlhf4j.host.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.host.testkit.DataTestKit;

/**
 * The {@code code-secrets} filter against its own labelled cases ({@code privacy-cases/secrets.jsonl}, made by
 * {@code src/test/resources/secrets-cases/make_secrets_cases.py}), each family switched off through {@code detect},
 * and the format checks on known-good and tampered values.
 */
class SecretsCasesTest {

    static List<PrivacyCases.Case> secretsCases() throws IOException {
        try (InputStream in = PrivacyCases.class.getResourceAsStream("privacy-cases/secrets.jsonl")) {
            return PrivacyCases.parse(in, "privacy-cases/secrets.jsonl");
        }
    }

    static SecretsFilter filter(String hocon) {
        return new SecretsFilter(DataTestKit.settings("code-secrets", hocon));
    }

    @Test
    void everyFamilyHasItsCasesAndMeetsTheTarget() throws IOException {
        List<PrivacyCases.Case> cases = secretsCases();
        assertTrue(cases.size() >= 150, cases.size() + " cases");
        Map<String, PrivacyCases.Score> scores = PrivacyCases.score(cases, Map.of("code-secrets", filter("")));
        for (String family : SecretDetectors.FAMILIES) {
            PrivacyCases.Score s = scores.get("code-secrets/" + family);
            assertTrue(s != null && s.positives() > 0 && s.negatives() > 0, family + " needs positives and negatives: " + s);
        }
        assertEquals(SecretDetectors.FAMILIES.size(), scores.size(), "cases of a family the filter does not have: " + scores.keySet());
        String failures = scores.values().stream().flatMap(s -> s.failures().stream()).collect(Collectors.joining("\n"));
        assertTrue(failures.isEmpty(), failures);
    }

    @Test
    void eachFamilyCanBeSwitchedOff() throws IOException {
        List<PrivacyCases.Case> cases = secretsCases();
        for (String family : SecretDetectors.FAMILIES) {
            List<String> others = SecretDetectors.FAMILIES.stream().filter(f -> !f.equals(family)).toList();
            SecretsFilter without = filter("code-secrets.detect = " + others.stream().collect(Collectors.joining(", ", "[", "]")));
            SecretsFilter only = filter("code-secrets.detect = [" + family + "]");
            for (PrivacyCases.Case c : cases) {
                if (!c.family().equals(family) || !c.positive() || c.optional()) {
                    continue;
                }
                String out = PrivacyFiltersTest.redacted(without, c.text());
                assertFalse(out.contains(c.tag()) && !c.text().contains(c.tag()), family + " is off but redacted " + c.where() + ": " + out);
                assertEquals(c.expected(), PrivacyFiltersTest.redacted(only, c.text()), family + " alone, " + c.where());
            }
        }
    }

    @Test
    void unknownFamiliesAndBadSettingsFailNamingTheKey() {
        ConfigProblem p = assertThrows(ConfigProblem.class, () -> filter("code-secrets.detect = [github-token, gihub-token]"));
        assertTrue(p.getMessage().contains("detect") && p.getMessage().contains("gihub-token") && p.getMessage().contains("slack-webhook"),
                p.getMessage());
        ConfigProblem l = assertThrows(ConfigProblem.class, () -> filter("code-secrets.min-length = 2"));
        assertTrue(l.getMessage().contains("min-length"), l.getMessage());
        ConfigProblem a = assertThrows(ConfigProblem.class, () -> filter("code-secrets.action = mask"));
        assertTrue(a.getMessage().contains("action"), a.getMessage());
        assertEquals("AKIAQYLPMN5HHHFPZAM2", PrivacyFiltersTest.redacted(filter("code-secrets.detect = []"), "AKIAQYLPMN5HHHFPZAM2"));
    }

    @Test
    void base62Crc32ChecksumsOfGithubAndNpmTokens() {
        // The worked value of a public CRC32-base62 implementation's test: 30 characters, then their checksum.
        assertEquals("2oIfSC", SecretChecks.crc32Base62("fIkRGaBu5PeKsznMzXQOg3kETH1Sgx"));
        assertEquals("000000", SecretChecks.crc32Base62(""));
        String body = "fIkRGaBu5PeKsznMzXQOg3kETH1Sgx";
        for (String prefix : List.of("ghp", "gho", "ghu", "ghs", "ghr", "npm")) {
            assertTrue(SecretChecks.validBase62Checksum(prefix + "_" + body + "2oIfSC"), prefix);
            assertFalse(SecretChecks.validBase62Checksum(prefix + "_" + body + "2oIfSD"), prefix + " tampered checksum");
            assertFalse(SecretChecks.validBase62Checksum(prefix + "_" + "g" + body.substring(1) + "2oIfSC"), prefix + " tampered body");
        }
        assertFalse(SecretChecks.validBase62Checksum("ghp_" + body + "2oIfS"), "too short");
    }

    @Test
    void jwtPartsMustDecodeToJsonObjects() {
        String header = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"; // {"alg":"HS256","typ":"JWT"}
        String payload = "eyJzdWIiOiIxMjM0NTY3ODkwIiwiaWF0IjoxNTE2MjM5MDIyfQ"; // {"sub":"1234567890","iat":1516239022}
        assertTrue(SecretChecks.validJwt(header + "." + payload + ".c2lnbmF0dXJl"));
        assertTrue(SecretChecks.validJwt(header + "." + payload + "."), "alg none: empty signature");
        assertFalse(SecretChecks.validJwt(header + ".aGVsbG8gd29ybGQ.c2ln"), "payload 'hello world' is not JSON");
        assertFalse(SecretChecks.validJwt(header + "." + payload.substring(0, 20) + "X.c2ln"), "truncated payload");
        assertFalse(SecretChecks.validJwt("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." + payload), "two parts");
        assertFalse(SecretChecks.validJwt("eyJxxxxxxxxxxxxxxx.eyJxxxxxxxxxxxxxxx.sig"));
    }

    @Test
    void bech32ChecksumOfAgeKeysAndBase64OfDiscordIds() {
        // BIP 173's valid test vectors, and the same with one character changed.
        assertTrue(SecretChecks.validBech32("A12UEL5L"));
        assertTrue(SecretChecks.validBech32("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw"));
        assertFalse(SecretChecks.validBech32("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxx"));
        assertFalse(SecretChecks.validBech32("A12UEL5M"));
        assertTrue(SecretChecks.discordUserId("MTIzNDU2Nzg5MDEyMzQ1Njc4.GhJkLm.abcdefghijklmnopqrstuvwxyz0"), "123456789012345678");
        assertFalse(SecretChecks.discordUserId("MWFiY2RlZmdoaWprbG1ub3Bx.GhJkLm.abcdefghijklmnopqrstuvwxyz0"), "1abcdefghijklmnopq");
        assertFalse(SecretChecks.discordUserId("MTIz.GhJkLm.abcdefghijklmnopqrstuvwxyz0"), "too few digits");
    }

    @Test
    void entropyPlaceholdersAndNames() {
        assertEquals(0, SecretChecks.entropy("aaaa"), 1e-9);
        assertEquals(2, SecretChecks.entropy("abcd"), 1e-9);
        assertEquals(1, SecretChecks.entropy("密钥密钥"), 1e-9);
        for (String p : List.of("xxxxxxxxxxxx", "YOUR_API_KEY_HERE", "${TOKEN}", "<token>", "{{ .Values.key }}", "changeme123", "$DB_PASS")) {
            assertTrue(SecretChecks.placeholder(p), p);
        }
        assertTrue(SecretChecks.wordy("user_id_2023_backup") && SecretChecks.wordy("config/keys/prod2.pem") && SecretChecks.wordy("prod-db-01"));
        assertFalse(SecretChecks.wordy("9f8a7b6c5d4e3f2a1b0c") || SecretChecks.wordy("123e4567-e89b-12d3-a456-426614174000"));
        assertTrue(SecretChecks.looksRandom("Xk93Lm2Vb9Kc4Ty8Wp3R", 12, 3.5));
        assertFalse(SecretChecks.looksRandom("ghp_Xk93Lm2Vb9Kc4Ty8Wp3R", 12, 3.5), "left to the github-token family");
        assertFalse(SecretChecks.looksRandom("abcdefghijklmnop", 12, 3.5), "no digit");
    }
}
