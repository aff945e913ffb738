// Throughput of the warc source (docs/data.md, "WARC input"): writes a Common-Crawl-like .warc.gz of N pages (one gzip
// member per record, a request and a UTF-8 HTML response each) unless the file exists, then reads it four times.
// Run: java -cp "host/data/target/classes:$(cat cp.txt)" docs/WarcBench.java 5000 /tmp/bench.warc.gz
// (cp.txt from ./mvnw -q dependency:build-classpath -Dmdep.outputFile=$PWD/cp.txt -pl host/data).
import com.typesafe.config.ConfigFactory;
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.data.RecordStream;
import org.rlhf4j.host.data.WarcSource;

public class WarcBench {
    public static void main(String[] a) throws Exception {
        int pages = Integer.parseInt(a[0]);
        Path f = Path.of(a[1]);
        if (!Files.exists(f)) write(f, pages);
        for (int round = 0; round < 4; round++) {
            long t0 = System.nanoTime(), n = 0, chars = 0;
            try (RecordStream s = new WarcSource().open(ConfigFactory.parseString("path = \"" + f + "\", name = bench"))) {
                Record r;
                while ((r = s.next()) != null) { n++; chars += r.text().length(); }
            }
            double sec = (System.nanoTime() - t0) / 1e9;
            System.out.printf("round %d: %d documents (%d WARC records) in %.2f s: %.0f documents/s, %.0f WARC records/s, %.1f MB/s of .warc.gz, %d chars%n",
                    round, n, 2L * pages, sec, n / sec, 2 * pages / sec, Files.size(f) / 1e6 / sec, chars);
        }
    }
    static void write(Path f, int pages) throws IOException {
        Random rnd = new Random(7);
        String[] words = {"the", "data", "model", "训练", "数据", "模型", "reward", "policy", "语言", "文本", "quality", "filter"};
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(f), 1 << 16)) {
            for (int i = 0; i < pages; i++) {
                StringBuilder html = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Page " + i
                        + "</title><script>var x = " + i + ";</script><style>p{color:red}</style></head><body><nav><a href=\"/\">Home</a> | <a href=\"/a\">About</a></nav>");
                int paras = 10 + rnd.nextInt(30);
                for (int p = 0; p < paras; p++) {
                    html.append("<p>");
                    int w = 20 + rnd.nextInt(60);
                    for (int k = 0; k < w; k++) html.append(words[rnd.nextInt(words.length)]).append(k % 9 == 8 ? ", " : " ");
                    html.append("&amp; <b>more</b>.</p>\n");
                }
                html.append("<footer>&copy; 2026</footer></body></html>");
                byte[] body = html.toString().getBytes(StandardCharsets.UTF_8);
                String uri = "https://site" + (i % 97) + ".example/page/" + i;
                member(out, "request", uri, ("GET /page/" + i + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
                byte[] block = new byte[head.length + body.length];
                System.arraycopy(head, 0, block, 0, head.length);
                System.arraycopy(body, 0, block, head.length, body.length);
                member(out, "response", uri, block);
            }
        }
    }
    static void member(OutputStream out, String type, String uri, byte[] block) throws IOException {
        GZIPOutputStream gz = new GZIPOutputStream(new FilterOutputStream(out) { @Override public void close() throws IOException { flush(); } });
        String msg = type.equals("request") ? "request" : "response";
        gz.write(("WARC/1.0\r\nWARC-Type: " + type + "\r\nWARC-Target-URI: " + uri + "\r\nWARC-Date: 2026-01-01T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:"
                + java.util.UUID.randomUUID() + ">\r\nContent-Type: application/http; msgtype=" + msg + "\r\nContent-Length: " + block.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        gz.write(block);
        gz.write("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        gz.finish();
        gz.close();
    }
}
