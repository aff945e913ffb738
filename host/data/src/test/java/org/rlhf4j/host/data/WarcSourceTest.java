package org.rlhf4j.host.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.testkit.DataTestKit;

/** WARC responses as crawlers store them: legacy charsets, chunked and compressed bodies, character references, bad files. */
class WarcSourceTest {

    private static final Charset GBK = Charset.forName("GBK");
    private static final Charset WINDOWS_31J = Charset.forName("windows-31j");

    @TempDir
    Path dir;

    @Test
    void responsesAreDecodedWithTheirCharsetTransferAndContentEncoding() throws IOException {
        byte[] gzipped = gzip("<html><body><h1>压缩</h1><p>chunked and gzip</p></body></html>".getBytes(StandardCharsets.UTF_8));
        Path f = dir.resolve("crawl.warc.gz");
        Files.write(f, concat(
                gzip(warc("warcinfo", "", "software: test".getBytes(StandardCharsets.UTF_8))),
                // (a) GBK, declared by the HTTP header only; 镕 is a GBK character outside GB2312
                gzip(response("https://a.example/", "200 OK", "Content-Type: text/html; charset=GBK\r\n",
                        "<html><body><p>中文网页：朱镕基。</p></body></html>".getBytes(GBK))),
                // (b) Shift_JIS declared only by the page; ① is one of the Windows extensions browsers decode
                gzip(response("https://b.example/", "200 OK", "Content-Type: text/html\r\n",
                        "<html><head><meta charset=\"Shift_JIS\"><title>題</title></head><body><p>日本語のページ①</p></body></html>"
                                .getBytes(WINDOWS_31J))),
                // (c) chunked transfer encoding over a gzip content encoding, the chunks cutting the gzip stream anywhere
                gzip(response("https://c.example/", "200 OK",
                        "Content-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n", chunked(gzipped, 7))),
                // deflate (zlib) content encoding
                gzip(response("https://d.example/", "200 OK", "Content-Type: text/plain\r\nContent-Encoding: deflate\r\n",
                        deflate("plain text, deflated".getBytes(StandardCharsets.UTF_8)))),
                // brotli (br) content encoding
                gzip(response("https://d.example/br", "200 OK", "Content-Type: text/html; charset=utf-8\r\nContent-Encoding: br\r\n",
                        brotliStored("<p>brotli body</p>".getBytes(StandardCharsets.UTF_8)))),
                // (d) numeric and named character references
                gzip(response("https://e.example/", "200 OK", "Content-Type: text/html; charset=utf-8\r\n",
                        "<p>&#20013;&#x6587; &amp; &nbsp; &eacute;&lt;&#39;&gt;</p>".getBytes(StandardCharsets.UTF_8))),
                gzip(response("https://f.example/missing", "404 Not Found", "Content-Type: text/html\r\n",
                        "<p>Not found</p>".getBytes(StandardCharsets.UTF_8))),
                gzip(response("https://f.example/logo.png", "200 OK", "Content-Type: image/png\r\n", new byte[] {(byte) 0x89, 'P', 'N', 'G'}))));
        List<Record> rs = DataTestKit.read(new WarcSource(), "path = \"" + f + "\", name = cc");
        assertEquals(List.of("中文网页：朱镕基。", "日本語のページ①", "压缩\nchunked and gzip", "plain text, deflated", "brotli body", "中文 & é<'>"),
                rs.stream().map(Record::text).toList());
        assertEquals("https://b.example/", rs.get(1).meta().get("url"));
        assertEquals("cc:crawl.warc.gz:3", rs.get(1).id());
        assertEquals(4, rs.get(2).provenance().line());
    }

    @Test
    void aLegacyLabelIsReadAsBrowsersReadIt() throws IOException {
        // The page says gb2312 and holds 镕, a GBK character: browsers decode gb2312 as GBK (GB18030), so do we.
        Path f = dir.resolve("legacy.warc");
        Files.write(f, response("https://a.example/", "200 OK", "Content-Type: text/html\r\n",
                "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body>朱镕基</body></html>".getBytes(GBK)));
        assertEquals("朱镕基", DataTestKit.read(new WarcSource(), "path = \"" + f + "\"").get(0).text());
    }

    @Test
    void aRecordCutShortNamesTheFileTheRecordAndItsOffset() throws IOException {
        byte[] first = response("https://a.example/", "200 OK", "Content-Type: text/plain\r\n", "kept".getBytes(StandardCharsets.UTF_8));
        byte[] second = response("https://b.example/", "200 OK", "Content-Type: text/plain\r\n", "cut short".getBytes(StandardCharsets.UTF_8));
        Path f = dir.resolve("cut.warc");
        Files.write(f, concat(first, Arrays.copyOf(second, second.length - 10)));
        SourceStream s = new WarcSource().open(ConfigFactory.parseString("path = \"" + f + "\""));
        assertEquals("kept", s.next().text());
        assertEquals(null, s.next());
        assertEquals(1, s.malformed().count());
        MalformedInput.Skipped why = s.malformed().examples().get(0);
        assertEquals("cut.warc", why.file());
        assertEquals(2, why.line());
        assertTrue(why.why().startsWith("record at byte " + first.length + ": truncated record"), why.why());
    }

    @Test
    void aBrokenHeaderEndsTheFileAndFailsTheRunUnderOnErrorFail() throws IOException {
        byte[] first = response("https://a.example/", "200 OK", "Content-Type: text/plain\r\n", "kept".getBytes(StandardCharsets.UTF_8));
        Path f = dir.resolve("broken.warc");
        Files.write(f, concat(first, "HTTP/1.1 200 OK\r\n\r\nnot a record".getBytes(StandardCharsets.UTF_8), first));
        SourceStream s = new WarcSource().open(ConfigFactory.parseString("path = \"" + f + "\""));
        assertEquals("kept", s.next().text());
        assertEquals(null, s.next());
        assertEquals("broken.warc:2: record at byte " + first.length + ": not a WARC record header",
                s.malformed().examples().get(0).toString().replaceFirst("header:.*", "header"));
        StageFailure failure = assertThrows(StageFailure.class,
                () -> DataTestKit.read(new WarcSource(), "path = \"" + f + "\", on-error = fail"));
        assertTrue(failure.getMessage().startsWith("broken.warc:2: record at byte " + first.length), failure.getMessage());
    }

    @Test
    void aBodyThatDoesNotDecodeSkipsOnlyItsRecord() throws IOException {
        byte[] bad = response("https://a.example/", "200 OK", "Content-Type: text/html\r\nContent-Encoding: gzip\r\n",
                "not gzip at all".getBytes(StandardCharsets.UTF_8));
        byte[] good = response("https://b.example/", "200 OK", "Content-Type: text/plain\r\n", "next".getBytes(StandardCharsets.UTF_8));
        Path f = dir.resolve("bad-body.warc.gz");
        Files.write(f, concat(gzip(bad), gzip(good)));
        SourceStream s = new WarcSource().open(ConfigFactory.parseString("path = \"" + f + "\""));
        assertEquals("next", s.next().text());
        assertEquals(null, s.next());
        MalformedInput.Skipped why = s.malformed().examples().get(0);
        assertEquals(1, why.line());
        assertTrue(why.why().startsWith("record at byte 0: cannot read or decode the body") && why.why().endsWith("(record skipped)"), why.why());
    }

    static byte[] response(String uri, String status, String headers, byte[] body) {
        byte[] head = ("HTTP/1.1 " + status + "\r\n" + headers + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        return warc("response", uri, concat(head, body));
    }

    static byte[] warc(String type, String uri, byte[] block) {
        String header = "WARC/1.0\r\nWARC-Type: " + type + "\r\nWARC-Target-URI: " + uri + "\r\nWARC-Date: 2026-01-02T03:04:05Z\r\n"
                + "Content-Length: " + block.length + "\r\n\r\n";
        return concat(header.getBytes(StandardCharsets.ISO_8859_1), block, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The bytes in HTTP/1.1 chunked transfer coding (RFC 9112 section 7.1), {@code size} bytes a chunk. */
    static byte[] chunked(byte[] data, int size) {
        List<byte[]> parts = new ArrayList<>();
        for (int i = 0; i < data.length; i += size) {
            int n = Math.min(size, data.length - i);
            parts.add((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            parts.add(Arrays.copyOfRange(data, i, i + n));
            parts.add("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        parts.add("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return concat(parts.toArray(byte[][]::new));
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    static byte[] deflate(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(out)) {
            z.write(data);
        }
        return out.toByteArray();
    }

    /**
     * The bytes as a brotli stream (RFC 7932) of one uncompressed meta-block: window bits 0 (16), ISLAST 0, four
     * nibbles of MLEN-1, ISUNCOMPRESSED 1, padding to the byte, the bytes, then an empty last meta-block.
     */
    static byte[] brotliStored(byte[] data) {
        int header = ((data.length - 1) << 4) | (1 << 20);
        return concat(new byte[] {(byte) header, (byte) (header >> 8), (byte) (header >> 16)}, data, new byte[] {3});
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
