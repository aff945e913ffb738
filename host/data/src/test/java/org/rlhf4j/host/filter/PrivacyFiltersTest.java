package org.rlhf4j.host.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.data.FilterDecision;
import org.rlhf4j.api.data.FilterDecision.Action;
import org.rlhf4j.api.data.Message;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.host.testkit.DataTestKit;

class PrivacyFiltersTest {

    @Test
    void searchingOnlyTheRunsAMatchCanLieInFindsWhatSearchingTheWholeTextFinds() {
        List<Detector> scoped = PiiFilter.detectors(DataTestKit.settings("pii", "pii.ip.private = true"));
        List<Detector> whole = scoped.stream().map(Detector::unscoped).toList();
        String[] parts = {"a@b.co", "x.y+z@mail-host.example.org", "@", "user@", "@host.com", "+86 138 1234 5678", "13812345678",
            "(555) 123-4567", "555.123.4567", "+1 555 123 4567", "4111 1111 1111 1111", "4111-1111-1111-1111", "11010519491231002X",
            "8.8.8.8", "192.168.0.1", "1.2.3.4.5", "2001:4860:4860::8888", "fe80::1", "::", "abc:def:123", "ftp://user:pw@host.org/x",
            "word", "Word", "café", "中文", "123", "12", "1-2", "--", "..", "+", "(", ")", "X", "deadbeef", "0",
            "(201) 555-0123", "+44 20 7946 0958", "010-6552 9988", "0755-8601 3388-8001", "转123", " ext. 45", "3782 822463 10005",
            "81.2.69.0/24", "fe80::1%eth0", "::ffff:1.2.3.4", "64:ff9b::81.2.69.160", "USA118506150012", "110105491231002",
            "http://host:8080@x.example.org", "12:30:45", "2024-01-01"};
        String[] glue = {" ", "", "", "\n", ",", "-", ".", ":", " (", ") ", "+", "@", "x"};
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        int found = 0;
        for (int i = 0; i < 3000; i++) {
            StringBuilder b = new StringBuilder();
            for (int k = random.nextInt(1, 12); k > 0; k--) {
                b.append(parts[random.nextInt(parts.length)]).append(glue[random.nextInt(glue.length)]);
            }
            String text = b.toString();
            List<String> expected = spans(Detector.find(text, whole));
            assertEquals(expected, spans(Detector.find(text, scoped)), text);
            found += expected.size();
        }
        assertTrue(found > 1000, found + " spans");
    }

    private static List<String> spans(List<Detector.Span> spans) {
        return spans.stream().map(s -> s.detector().name() + "@" + s.start() + "-" + s.end()).toList();
    }

    static final PiiFilter PII = new PiiFilter(DataTestKit.settings("pii", ""));

    static String redacted(String settings, String text) {
        return redacted(new PiiFilter(DataTestKit.settings("pii", settings)), text);
    }

    @Test
    void phoneRegionsSayWhoseNationalFormatsAreNumbersAndInternationalOnesAlwaysAre() {
        assertEquals("<PHONE>", redacted("pii.phone.regions = [US]", "(415) 555-0132"));
        assertEquals("(415) 555-0132", redacted("pii.phone.regions = [GB]", "(415) 555-0132"));
        assertEquals("020 7946 0958", redacted("pii.phone.regions = [US]", "020 7946 0958"));
        assertEquals("<PHONE>", redacted("pii.phone.regions = [gb]", "020 7946 0958"));
        assertEquals("<PHONE> or <PHONE>", redacted("pii.phone.regions = []", "+44 20 7946 0958 or +1 415-555-0132"));
        assertEquals("13912345678", redacted("pii.phone.regions = [US, GB]", "13912345678"));
    }

    @Test
    void phoneLeniencyRangesFromPossibleLengthsToExactGrouping() {
        assertEquals("<PHONE>", redacted("pii.phone.leniency = possible", "+1 123 456 7890"));
        assertEquals("+1 123 456 7890", redacted("pii.phone.leniency = valid", "+1 123 456 7890"));
        assertEquals("<PHONE>", redacted("pii.phone.leniency = valid", "02079 460958"));
        assertEquals("02079 460958", redacted("pii.phone.leniency = strict-grouping", "02079 460958"));
        assertEquals("<PHONE>", redacted("pii.phone.leniency = strict-grouping", "020 79460958"));
        assertEquals("020 79460958", redacted("pii.phone.leniency = exact-grouping", "020 79460958"));
        assertEquals("<PHONE>", redacted("pii.phone.leniency = exact-grouping", "020 7946 0958"));
    }

    @Test
    void privateAddressesAreRedactedOnlyWhenAskedAndNeverLoopbackOrDocumentation() {
        String text = "lan 192.168.1.1, 10.0.0.8, fe80::1%eth0 and fd12:3456:789a::1; lo 127.0.0.1 ::1; doc 192.0.2.1";
        assertEquals(text, redacted("", text));
        assertEquals("lan <IP_ADDRESS>, <IP_ADDRESS>, <IP_ADDRESS> and <IP_ADDRESS>; lo 127.0.0.1 ::1; doc 192.0.2.1",
                redacted("pii.ip.private = true", text));
    }

    @Test
    void cidrRangesAreRedactedWithTheirPrefixOrLeftAlone() {
        String text = "ban 81.2.69.0/24 and 2a00:1450::/32, host 81.2.69.160";
        assertEquals("ban <IP_ADDRESS> and <IP_ADDRESS>, host <IP_ADDRESS>", redacted("", text));
        assertEquals("ban 81.2.69.0/24 and 2a00:1450::/32, host <IP_ADDRESS>", redacted("pii.ip.cidr = false", text));
        assertEquals("81.2.69.0/33", redacted("", "81.2.69.0/33"));
    }

    @Test
    void eachFamilySwitchedOffIsLeftAndTheOthersStillRedacted() {
        Map<String, String> samples = new java.util.LinkedHashMap<>();
        samples.put("url-credentials", "ftp://admin:s3cretPass@files.example.org/pub");
        samples.put("email", "maria.keller@example-mail.com");
        samples.put("ip", "81.2.69.160");
        samples.put("cn-id", "11010519491231002X");
        samples.put("card", "3782 822463 10005");
        samples.put("phone", "+44 20 7946 0958");
        String text = String.join(" ; ", samples.values());
        for (String off : PiiDetectors.FAMILIES) {
            List<String> on = PiiDetectors.FAMILIES.stream().filter(f -> !f.equals(off)).toList();
            String out = redacted("pii.detect = " + on, text);
            assertTrue(out.contains(samples.get(off)), off + " switched off, yet: " + out);
            for (String f : on) {
                assertFalse(out.contains(samples.get(f)), f + " left in: " + out);
            }
        }
        assertEquals(text, redacted("pii.detect = []", text));
    }

    @Test
    void aBadSettingFailsNamingItsKey() {
        Map<String, String> bad = Map.of("pii.detect = [email, phones]", "detect", "pii.phone.regions = [US, XX]", "phone.regions",
                "pii.phone.leniency = loose", "phone.leniency", "pii.ip.private = maybe", "ip.private", "pii.ip.cidr = 24", "ip.cidr",
                "pii.action = mask", "action");
        bad.forEach((setting, key) -> {
            org.rlhf4j.api.ConfigProblem e = org.junit.jupiter.api.Assertions.assertThrows(org.rlhf4j.api.ConfigProblem.class,
                    () -> new PiiFilter(DataTestKit.settings("pii", setting)), setting);
            assertEquals(key, e.key(), setting);
            assertTrue(e.getMessage().contains(key), e.getMessage());
        });
    }
    static final SecretsFilter SECRETS = new SecretsFilter(DataTestKit.settings("code-secrets", ""));

    static String redacted(RedactingFilter f, String text) {
        FilterDecision d = f.decide(DataTestKit.doc("d", text));
        return d.record().text();
    }

    @Test
    void personalDataIsRedactedWithTags() {
        assertEquals("Write to <EMAIL> today.", redacted(PII, "Write to maria.keller@example-mail.com today."));
        assertEquals("请联系<EMAIL>。", redacted(PII, "请联系zhang.wei@example.cn。"));
        assertEquals("from <IP_ADDRESS> and <IP_ADDRESS>", redacted(PII, "from 81.2.69.160 and 2a00:1450:4001:81c::200e"));
        assertEquals("call <PHONE> now", redacted(PII, "call +44 20 7946 0958 now"));
        assertEquals("手机<PHONE>，", redacted(PII, "手机13912345678，"));
        assertEquals("电话 <PHONE>", redacted(PII, "电话 +86 139-1234-5678"));
        assertEquals("card <CARD_NUMBER>.", redacted(PII, "card 4111 1111 1111 1111."));
        assertEquals("身份证号码是<ID_NUMBER>。", redacted(PII, "身份证号码是11010519491231002X。"));
        assertEquals("ftp://<CREDENTIALS>@files.example.org/pub", redacted(PII, "ftp://admin:s3cretPass@files.example.org/pub"));
    }

    @Test
    void lookalikesThatFailChecksumsOrArePrivateAreLeftAlone() {
        for (String text : List.of("version 1.2.3 of the tool", "the router at 192.168.1.1 and 10.0.0.8", "localhost 127.0.0.1",
                "order 4111 1111 1111 1112 failed", "身份证号码是110105194912310021。", "at 12:30:45 we left", "the year 2024 had 365 days",
                "see section 3.14.15", "doc ip 203.0.113.7")) {
            assertEquals(text, redacted(PII, text), text);
        }
    }

    @Test
    void dropActionDropsAndConversationsAreRedactedInEveryTurn() {
        PiiFilter drop = new PiiFilter(DataTestKit.settings("pii", "pii.action = drop"));
        FilterDecision d = drop.apply(DataTestKit.doc("a", "mail me: a.b@example.org"));
        assertEquals(Action.DROP, d.action());
        assertTrue(d.reason().contains("email=1"), d.reason());
        Record chat = new Record("c", Record.Kind.CONVERSATION, "", List.of(Message.user("我的邮箱是 li.na@example.cn"),
                Message.assistant("好的，已记下。")), List.of(), Map.of(), null);
        FilterDecision m = PII.apply(chat);
        assertEquals(Action.MODIFY, m.action());
        assertEquals("我的邮箱是 <EMAIL>", m.record().messages().get(0).content());
    }

    @Test
    void secretsInCodeAreFound() {
        String code = """
                AWS_ACCESS_KEY_ID = "AKIAQYLPMN5HHHFPZAM2"
                aws_secret_access_key = "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"
                token = "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"
                slack = "xoxb-1234567890-4829105736-Kc4Ty8Wp3Rz6Nd1Hf5Gj0Sa2U"
                key = "AIzaSyD3xQ7Lm2Vb9Kc4Ty8Wp3Rz6Nd1Hf5Gj0S"
                jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzdGF0aW9uIn0.c2lnbmF0dXJlLW5vdC1yZWFs"
                "client_secret": "9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c",
                -----BEGIN OPENSSH PRIVATE KEY-----
                b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
                QyNTUxOQAAACBVc2VyS2V5U3ludGhldGljTm90UmVhbEF0QWxsMTIzNDU2Nzg5==
                -----END OPENSSH PRIVATE KEY-----
                """;
        String out = redacted(SECRETS, code);
        for (String secret : List.of("AKIAQYLPMN5HHHFPZAM2", "wJalrXUtnFEMI", "ghp_", "xoxb-", "AIzaSy", "eyJhbGci", "9f8a7b6c", "b3BlbnNzaC1")) {
            assertFalse(out.contains(secret), secret + " left in:\n" + out);
        }
        for (String tag : List.of("AWS_ACCESS_KEY_ID = \"<AWS_KEY>\"", "aws_secret_access_key = \"<AWS_KEY>\"", "token = \"<GITHUB_TOKEN>\"",
                "slack = \"<SLACK_TOKEN>\"", "key = \"<GOOGLE_API_KEY>\"", "jwt = \"<JWT>\"", "\"client_secret\": \"<SECRET>\"", "\n<PRIVATE_KEY>\n")) {
            assertTrue(out.contains(tag), tag + " not in:\n" + out);
        }
    }

    @Test
    void ordinaryCodeAndPlaceholdersAreNotSecrets() {
        String code = """
                password = "hunter2"
                api_key = "YOUR_API_KEY_HERE"
                token = "${TOKEN}"
                secret_name = "database-password-prod"
                def tokenize(text): return text.split()
                """;
        assertEquals(code, redacted(SECRETS, code));
        assertEquals(Action.KEEP, SECRETS.apply(DataTestKit.doc("p", "请用 pip install requests 安装依赖。")).action());
    }

    @Test
    void codeUnderALicenseNotAllowedOrMarkedPrivateIsDropped() {
        LicenseFilter f = new LicenseFilter(DataTestKit.settings("code-license", ""));
        assertEquals(Action.KEEP, f.apply(code("MIT", "false")).action());
        assertTrue(f.apply(code("GPL-3.0", "false")).reason().startsWith("code-license: GPL-3.0"));
        assertTrue(f.apply(code("proprietary", "false")).reason().startsWith("code-license"));
        assertTrue(f.apply(code("MIT", "true")).reason().startsWith("code-private"));
        assertEquals(Action.KEEP, f.apply(DataTestKit.doc("prose", "没有许可证信息的普通文本。")).action());
    }

    static Record code(String license, String priv) {
        return Record.document("c", "print(1)", Map.of("license", license, "private", priv, "repository", "r"), null);
    }
}
