package org.rlhf4j.host.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.host.testkit.DataTestKit;
import org.rlhf4j.api.data.Message;
import org.rlhf4j.api.data.Record;

class FileSourcesTest {

    @TempDir
    Path dir;

    @Test
    void csvHandlesQuotesCommasAndNewlinesAndReportsRowsOfTheWrongWidth() throws IOException {
        Path f = dir.resolve("rows.csv");
        Files.writeString(f, "id,text,lang\n1,\"Hello, world\",en\n2,\"第一行\n第二行 \"\"引号\"\"\",zh\n3,too,many,fields\n4,last,en\n");
        SourceStream s = new CsvSource().open(ConfigFactory.parseString("path = \"" + f + "\", name = t, format = document, meta-fields = [lang]"));
        Record a = s.next();
        Record b = s.next();
        Record d = s.next();
        assertEquals(null, s.next());
        assertEquals("Hello, world", a.text());
        assertEquals("第一行\n第二行 \"引号\"", b.text());
        assertEquals("zh", b.meta().get("lang"));
        assertEquals(3, b.provenance().line());
        assertEquals("t:4", d.id());
        assertEquals(1, s.malformed().count());
        assertEquals(5, s.malformed().examples().get(0).line());
    }

    @Test
    void tsvSplitsOnTabs() throws IOException {
        Path f = dir.resolve("p.tsv");
        Files.writeString(f, "prompt\tcategory\nWrite a poem, please.\tgeneration\n总结这段话\tsummary\n");
        List<Record> rs = DataTestKit.read(new TsvSource(), "path = \"" + f + "\", format = prompt");
        assertEquals(2, rs.size());
        assertEquals("Write a poem, please.", rs.get(0).text());
        assertEquals("summary", rs.get(1).meta().get("category-label"));
    }

    @Test
    void aByteOrderMarkDoesNotBecomePartOfTheFirstColumnsName() throws IOException {
        // Excel's "CSV UTF-8" starts the file with EF BB BF; read as text that is U+FEFF before the first header.
        Path csv = dir.resolve("excel.csv");
        Files.writeString(csv, "\uFEFFprompt,completion\nThe sky is, blue.\n");
        assertEquals((byte) 0xEF, Files.readAllBytes(csv)[0], "the file really starts with the mark");
        List<Record> rs = DataTestKit.read(new CsvSource(), "path = \"" + csv + "\", format = trl-prompt-completion, on-error = fail");
        assertEquals(List.of(Message.user("The sky is"), Message.assistant("blue.")), rs.get(0).messages());
        Path gz = dir.resolve("excel.tsv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("\uFEFFprompt\tcategory\nName three fruits.\tbrainstorming\n".getBytes(StandardCharsets.UTF_8));
        }
        List<Record> tsv = DataTestKit.read(new TsvSource(), "path = \"" + gz + "\", format = prompt, on-error = fail");
        assertEquals("Name three fruits.", tsv.get(0).text());
        assertEquals("brainstorming", tsv.get(0).meta().get("category-label"));
    }

    @Test
    void textFolderGivesOneRecordPerFileAndSkipsFilesThatAreNotUtf8() throws IOException {
        Files.createDirectories(dir.resolve("t/sub"));
        Files.writeString(dir.resolve("t/a.txt"), "English text.");
        Files.writeString(dir.resolve("t/sub/b.txt"), "中文文本。");
        Files.write(dir.resolve("t/c.txt"), new byte[] {(byte) 0xC3, (byte) 0x28, 0x41});
        Files.writeString(dir.resolve("t/skip.md"), "not matched by the glob");
        SourceStream s = new TextFolderSource().open(ConfigFactory.parseString("path = \"" + dir.resolve("t") + "\", name = tf, glob = \"**.txt\""));
        Record a = s.next();
        Record b = s.next();
        assertEquals(null, s.next());
        assertEquals("tf:a.txt", a.id());
        assertEquals("中文文本。", b.text());
        assertEquals("sub/b.txt", b.meta().get("path"));
        assertEquals(1, s.malformed().count());
        assertEquals("c.txt", s.malformed().examples().get(0).file());
    }

    @Test
    void codeFolderAttachesEachRepositorysLicenseAndPrivacy() throws IOException {
        Path code = dir.resolve("code");
        Files.createDirectories(code.resolve("mit-repo/src"));
        Files.writeString(code.resolve("mit-repo/LICENSE"), "MIT License\n\nPermission is hereby granted, free of charge, to any person ...");
        Files.writeString(code.resolve("mit-repo/src/main.py"), "print('hi')\n");
        Files.write(code.resolve("mit-repo/src/logo.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        Files.createDirectories(code.resolve("gpl-repo"));
        Files.writeString(code.resolve("gpl-repo/COPYING"), "GNU GENERAL PUBLIC LICENSE\nVersion 3, 29 June 2007");
        Files.writeString(code.resolve("gpl-repo/lib.c"), "int main(void) { return 0; }\n");
        Files.createDirectories(code.resolve("secret-repo"));
        Files.writeString(code.resolve("secret-repo/package.json"), "{\"name\": \"x\", \"private\": true}");
        Files.writeString(code.resolve("secret-repo/index.js"), "module.exports = 1;\n");
        Map<String, Record> byPath = DataTestKit.read(new CodeFolderSource(), "path = \"" + code + "\", name = code").stream()
                .collect(Collectors.toMap(r -> r.meta().get("path"), r -> r));
        assertEquals(List.of("gpl-repo/lib.c", "mit-repo/src/main.py", "secret-repo/index.js"), byPath.keySet().stream().sorted().toList());
        assertEquals("MIT", byPath.get("mit-repo/src/main.py").meta().get("license"));
        assertEquals("python", byPath.get("mit-repo/src/main.py").meta().get("language"));
        assertEquals("GPL-3.0", byPath.get("gpl-repo/lib.c").meta().get("license"));
        assertEquals("none", byPath.get("secret-repo/index.js").meta().get("license"));
        assertEquals("true", byPath.get("secret-repo/index.js").meta().get("private"));
        assertEquals("false", byPath.get("gpl-repo/lib.c").meta().get("private"));
    }

    @Test
    void warcAndWetRecordsBecomeDocumentsWithTheirUrl() throws IOException {
        String html = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
                + "<html><head><title>t</title><script>var x = 1;</script></head><body><p>First &amp; foremost.</p><div>第二段。</div></body></html>";
        String wet = "这是纯文本。\nPlain text line.";
        Path f = dir.resolve("crawl.warc.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            out.write(warc("warcinfo", "", "software: test").getBytes(StandardCharsets.UTF_8));
            out.write(warc("request", "https://a.example/", "GET / HTTP/1.1").getBytes(StandardCharsets.UTF_8));
            out.write(warc("response", "https://a.example/", html).getBytes(StandardCharsets.UTF_8));
            out.write(warc("conversion", "https://b.example/", wet).getBytes(StandardCharsets.UTF_8));
        }
        List<Record> rs = DataTestKit.read(new WarcSource(), "path = \"" + f + "\", name = cc");
        assertEquals(2, rs.size());
        assertEquals("First & foremost.\n第二段。", rs.get(0).text());
        assertEquals("https://a.example/", rs.get(0).meta().get("url"));
        assertEquals(3, rs.get(0).provenance().line());
        assertEquals(wet, rs.get(1).text());
        assertEquals("conversion", rs.get(1).meta().get("warc-type"));
    }

    private static String warc(String type, String uri, String body) {
        int length = body.getBytes(StandardCharsets.UTF_8).length;
        return "WARC/1.0\r\nWARC-Type: " + type + "\r\nWARC-Target-URI: " + uri + "\r\nContent-Length: " + length + "\r\n\r\n" + body + "\r\n\r\n";
    }

    @Test
    void mediaWikiDumpsYieldArticlesAsPlainTextWithoutRedirectsOrTalkPages() throws IOException {
        String xml = """
                <mediawiki xmlns="http://www.mediawiki.org/xml/export-0.10/">
                  <page><title>长城</title><ns>0</ns><id>7</id>
                    <revision><id>100</id><text>'''长城'''是中国古代的[[军事|防御]]工程。{{Infobox|a=b}}&lt;ref&gt;source&lt;/ref&gt;
                == 历史 ==
                始建于[[春秋战国]]时期。</text></revision></page>
                  <page><title>Great Wall</title><ns>0</ns><id>8</id><redirect title="长城"/>
                    <revision><id>101</id><text>#REDIRECT [[长城]]</text></revision></page>
                  <page><title>Talk:长城</title><ns>1</ns><id>9</id><revision><id>102</id><text>discussion</text></revision></page>
                  <page><title>Paris</title><ns>0</ns><id>10</id><revision><id>103</id><text>'''Paris''' is the capital of [[France]].[[Category:Capitals]]</text></revision></page>
                </mediawiki>
                """;
        Path f = dir.resolve("zhwiki-pages-articles.xml.bz2");
        try (OutputStream out = new BZip2CompressorOutputStream(Files.newOutputStream(f))) {
            out.write(xml.getBytes(StandardCharsets.UTF_8));
        }
        List<Record> rs = DataTestKit.read(new MediaWikiSource(), "path = \"" + f + "\", name = wiki");
        assertEquals(2, rs.size());
        assertEquals("wiki:7", rs.get(0).id());
        assertEquals("长城\n\n长城是中国古代的防御工程。\n历史\n始建于春秋战国时期。", rs.get(0).text());
        assertEquals("Paris\n\nParis is the capital of France.", rs.get(1).text());
        assertFalse(rs.get(1).text().contains("Category"));
    }
}
