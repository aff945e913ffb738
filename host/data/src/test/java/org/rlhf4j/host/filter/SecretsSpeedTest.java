package org.rlhf4j.host.filter;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.host.data.SyntheticCorpus;
import org.rlhf4j.host.records.RecordJsonl;
import org.rlhf4j.host.testkit.DataTestKit;

/**
 * The speed of the {@code code-secrets} filter on one thread, in MB of UTF-8 text per second, over the bench's
 * bilingual prose ({@link SyntheticCorpus}) and over generated source and config files ({@link #code}) in which
 * key-like names, hashes, URLs and base64 blobs are common and a real-looking secret is planted in about one file
 * in fifty. Off by default (it takes a minute): {@code -Dsecrets.bench=true}; {@code -Dsecrets.bench.mb=N} sets
 * the MB of each corpus (default 16).
 */
@EnabledIfSystemProperty(named = "secrets.bench", matches = "true")
class SecretsSpeedTest {

    @Test
    void secretsFilterThroughputOnOneThread(@TempDir Path dir) throws Exception {
        int mb = Integer.getInteger("secrets.bench.mb", 16);
        Path prose = dir.resolve("prose.jsonl");
        new SyntheticCorpus(42).write(prose, (long) mb << 20);
        List<String> proseTexts = RecordJsonl.readAll(prose).stream().map(Record::text).toList();
        List<String> codeTexts = code(new SplittableRandom(7), (long) mb << 20);
        SecretsFilter f = new SecretsFilter(DataTestKit.settings("code-secrets", ""));
        for (int round = 0; round < 2; round++) {
            time(f, proseTexts.subList(0, proseTexts.size() / 4), null);
            time(f, codeTexts.subList(0, codeTexts.size() / 4), null);
        }
        for (int round = 0; round < 3; round++) {
            time(f, proseTexts, "prose (SyntheticCorpus)");
            time(f, codeTexts, "code and config files");
        }
        if (Boolean.getBoolean("secrets.bench.detectors")) {
            perDetector(proseTexts, "prose");
            perDetector(codeTexts, "code");
        }
    }

    /** Seconds per detector alone over {@code texts}, the slowest first (where the time of the filter goes). */
    private static void perDetector(List<String> texts, String label) {
        List<Detector> all = SecretDetectors.all(3.5, 12);
        double[] seconds = new double[all.size()];
        for (String t : texts) {
            TextScan.of(t).digits(); // the one scan of the text all triggers share, not charged to any detector
            for (int i = 0; i < all.size(); i++) {
                List<Detector> one = List.of(all.get(i));
                long start = System.nanoTime();
                Detector.find(t, one);
                seconds[i] += (System.nanoTime() - start) / 1e9;
            }
        }
        java.util.stream.IntStream.range(0, all.size()).boxed().sorted((a, b) -> Double.compare(seconds[b], seconds[a])).limit(12)
                .forEach(i -> System.out.printf("  %-6s %-26s %-60.60s %6.3f s%n", label, all.get(i).name(), all.get(i).pattern().pattern(),
                        seconds[i]));
    }

    private static void time(SecretsFilter f, List<String> texts, String label) {
        long bytes = 0;
        int modified = 0;
        long start = System.nanoTime();
        for (String t : texts) {
            bytes += t.length();
            if (f.apply(Record.document("b", t, java.util.Map.of(), null)).action() != org.rlhf4j.api.data.FilterDecision.Action.KEEP) {
                modified++;
            }
        }
        double s = (System.nanoTime() - start) / 1e9;
        if (label != null) {
            long utf8 = texts.stream().mapToLong(t -> t.getBytes(StandardCharsets.UTF_8).length).sum();
            System.out.printf("code-secrets on %-26s %7.1f MB/s  (%.1f MB, %d texts, %d redacted, %.2f s)%n", label, utf8 / 1e6 / s,
                    utf8 / 1e6, texts.size(), modified, s);
        }
    }

    private static final String[] NAMES = {"user", "config", "client", "request", "response", "items", "count", "result", "path",
        "token", "tokens", "api_key", "apiKey", "secret_name", "password_hash", "key", "keys", "session", "cache", "buffer", "value",
        "access_token", "auth_token", "passwordField", "tokenizer", "primary_key", "key_id", "keyboard", "monkey", "turkey"};
    private static final String[] WORDS = ("load the model and return the tokens for each key in the cache if the user is "
            + "logged in then refresh the session token otherwise ask for the password again").split(" ");
    private static final String B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /** Generated source and config files (Python, JavaScript, Java, YAML, .env, JSON, shell) of about {@code bytes} in all. */
    static List<String> code(SplittableRandom r, long bytes) {
        List<String> out = new ArrayList<>();
        long n = 0;
        while (n < bytes) {
            StringBuilder b = new StringBuilder(4096);
            int lines = 40 + r.nextInt(120);
            int style = r.nextInt(6);
            for (int i = 0; i < lines; i++) {
                String name = NAMES[r.nextInt(NAMES.length)];
                switch (r.nextInt(14)) {
                    case 0 -> b.append(indent(r)).append(name).append(" = os.environ.get(\"").append(name.toUpperCase()).append("\")\n");
                    case 1 -> b.append(indent(r)).append("const ").append(name).append(" = process.env.").append(name.toUpperCase()).append(";\n");
                    case 2 -> b.append(indent(r)).append("# ").append(sentence(r)).append('\n');
                    case 3 -> b.append(indent(r)).append("// 读取配置并刷新 token，").append(sentence(r)).append('\n');
                    case 4 -> b.append(indent(r)).append("sha = \"").append(hex(r, 40)).append("\"\n");
                    case 5 -> b.append(indent(r)).append("url = \"https://api.example.com:8443/v").append(r.nextInt(4)).append("/")
                            .append(name).append("?page=").append(r.nextInt(100)).append("\"\n");
                    case 6 -> b.append(indent(r)).append("id: ").append(uuid(r)).append('\n');
                    case 7 -> b.append(indent(r)).append("data = \"").append(base64(r, 24 + r.nextInt(60))).append("\"\n");
                    case 8 -> b.append(indent(r)).append("if ").append(name).append(" is None:\n").append(indent(r))
                            .append("    raise KeyError(\"missing ").append(name).append("\")\n");
                    case 9 -> b.append(indent(r)).append(name).append(": ${").append(name.toUpperCase()).append("}\n");
                    case 10 -> b.append(indent(r)).append("public String get").append(Character.toUpperCase(name.charAt(0)))
                            .append(name.substring(1)).append("() { return this.").append(name).append("; }\n");
                    case 11 -> b.append(indent(r)).append("\"").append(name).append("\": \"").append(word(r)).append('-').append(word(r))
                            .append("\",\n");
                    case 12 -> b.append(indent(r)).append("for (let i = 0; i < ").append(name).append(".length; i++) { total += ")
                            .append(name).append("[i] * ").append(r.nextInt(1000)).append("; }\n");
                    default -> b.append(indent(r)).append("log.info(\"").append(sentence(r)).append(": {}\", ").append(name).append(");\n");
                }
            }
            if (r.nextInt(50) == 0) {
                b.append(style % 2 == 0 ? "api_key = \"" : "token: '").append(random(r, 32)).append(style % 2 == 0 ? "\"\n" : "'\n");
            }
            String text = b.toString();
            out.add(text);
            n += text.getBytes(StandardCharsets.UTF_8).length;
        }
        return out;
    }

    private static String indent(SplittableRandom r) {
        return "    ".repeat(r.nextInt(3));
    }

    private static String word(SplittableRandom r) {
        return WORDS[r.nextInt(WORDS.length)];
    }

    private static String sentence(SplittableRandom r) {
        StringBuilder b = new StringBuilder();
        for (int i = 4 + r.nextInt(8); i > 0; i--) {
            b.append(word(r)).append(i > 1 ? " " : "");
        }
        return b.toString();
    }

    private static String hex(SplittableRandom r, int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append("0123456789abcdef".charAt(r.nextInt(16)));
        }
        return b.toString();
    }

    private static String uuid(SplittableRandom r) {
        return hex(r, 8) + "-" + hex(r, 4) + "-" + hex(r, 4) + "-" + hex(r, 4) + "-" + hex(r, 12);
    }

    private static String random(SplittableRandom r, int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(B62.charAt(r.nextInt(62)));
        }
        return b.toString();
    }

    private static String base64(SplittableRandom r, int n) {
        return random(r, n).replace('x', '+').replace('Q', '/') + "==";
    }
}
