package org.rlhf4j.host.filter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.host.data.SyntheticCorpus;
import org.rlhf4j.host.records.RecordJsonl;
import org.rlhf4j.host.testkit.DataTestKit;

/**
 * Not a test: a main that times the {@code pii} filter alone, on one thread, over the bench's generated corpus
 * ({@link SyntheticCorpus}, seed 42) and over the same corpus with numbers planted in one sentence in four (dates,
 * times, versions, prices, order numbers, phone numbers, IPs, IDs), where the digit triggers fire far more often.
 * Prints MB/s of document text (UTF-8 bytes). Arguments: MB of corpus (default 40), timed passes (default 3).
 */
public final class PiiSpeed {

    private static final String[] NUMBERS = {"on 2024-01-01", "at 12:30:45", "version 1.2.3.4", "for $1,299.00", "order 2024123100017",
        "in 1998", "call +44 20 7946 0958", "tel 010-6552 9988", "手机 13912345678", "from 81.2.69.160", "page 12 of 340",
        "ISBN 978-3-16-148410-0", "id 11010519491231002X", "ref 4111 1111 1111 1111", "2001:4860:4860::8888", "3.14159 and 2.71828",
        "(555) 123-4567", "2023年10月1日", "共 1,234,567 人", "port 8080"};

    private PiiSpeed() {
    }

    public static void main(String[] args) throws IOException {
        int mb = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path file = Files.createTempFile("pii-speed", ".jsonl");
        new SyntheticCorpus(42).write(file, (long) mb << 20);
        List<Record> plain = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            plain.add(RecordJsonl.fromLine(line, "corpus"));
        }
        Files.delete(file);
        List<Record> numbered = planted(plain);
        PiiFilter pii = new PiiFilter(DataTestKit.settings("pii", ""));
        time("warm-up (untimed)", pii, plain, 1);
        time("warm-up (untimed)", pii, numbered, 1);
        time("bench corpus", pii, plain, passes);
        time("numbers planted", pii, numbered, passes);
    }

    private static List<Record> planted(List<Record> records) {
        SplittableRandom random = new SplittableRandom(7);
        List<Record> out = new ArrayList<>(records.size());
        for (Record r : records) {
            StringBuilder b = new StringBuilder(r.text().length() + 256);
            for (String sentence : r.text().split("(?<=[.。])")) {
                b.append(sentence);
                if (random.nextInt(4) == 0) {
                    b.append(' ').append(NUMBERS[random.nextInt(NUMBERS.length)]).append(' ');
                }
            }
            out.add(Record.document(r.id(), b.toString(), r.meta(), null));
        }
        return out;
    }

    private static void time(String label, PiiFilter pii, List<Record> records, int passes) {
        long bytes = 0;
        for (Record r : records) {
            bytes += r.text().getBytes(StandardCharsets.UTF_8).length;
        }
        long modified = 0;
        long start = System.nanoTime();
        for (int p = 0; p < passes; p++) {
            for (Record r : records) {
                modified += pii.apply(r).record() != r ? 1 : 0;
            }
        }
        double s = (System.nanoTime() - start) / 1e9;
        System.out.printf("%-20s %8.1f MB/s  (%d docs x %d, %.1f MB, %.2f s, %d redacted)%n", label, bytes * (double) passes / 1e6 / s,
                records.size(), passes, bytes / 1e6, s, modified / passes);
    }
}
