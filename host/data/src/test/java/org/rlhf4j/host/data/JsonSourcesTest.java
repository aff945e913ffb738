package org.rlhf4j.host.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.host.testkit.DataTestKit;
import org.rlhf4j.api.data.Message;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.stage.StageFailure;

class JsonSourcesTest {

    @TempDir
    Path dir;

    @Test
    void jsonlMapsFieldsReadsGzipAndSkipsMalformedLinesWithFileAndLine() throws IOException {
        Path f = dir.resolve("web.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            out.write(("{\"uid\":\"a\",\"content\":\"第一篇文档。\",\"url\":\"https://x.cn/1\"}\n"
                    + "{\"uid\":\"b\",\"content\":\"broken\n"
                    + "\n"
                    + "{\"uid\":\"c\",\"body\":\"no content field\"}\n"
                    + "{\"uid\":\"d\",\"content\":\"Second document.\"}\n").getBytes(StandardCharsets.UTF_8));
        }
        SourceStream s = new JsonlSource().open(ConfigFactory.parseString("path = \"" + f + "\", name = web, format = document,"
                + " fields { id = uid, text = content }, meta-fields = [url]"));
        Record a = s.next();
        Record d = s.next();
        assertEquals(null, s.next());
        assertEquals("web:a", a.id());
        assertEquals("第一篇文档。", a.text());
        assertEquals("https://x.cn/1", a.meta().get("url"));
        assertEquals(1, a.provenance().line());
        assertEquals("Second document.", d.text());
        assertEquals(5, d.provenance().line());
        assertEquals(2, s.malformed().count());
        assertEquals("web.jsonl.gz", s.malformed().examples().get(0).file());
        assertEquals(2, s.malformed().examples().get(0).line());
        assertTrue(s.malformed().examples().get(1).why().contains("no field 'content'"), s.malformed().examples().get(1).why());
    }

    @Test
    void onErrorFailStopsAtTheFirstMalformedLineNamingIt() throws IOException {
        Path f = dir.resolve("bad.jsonl");
        Files.writeString(f, "{\"text\":\"fine\"}\nnot json\n");
        SourceStream s = new JsonlSource().open(ConfigFactory.parseString("path = \"" + f + "\", on-error = fail"));
        s.next();
        StageFailure e = assertThrows(StageFailure.class, s::next);
        assertTrue(e.getMessage().startsWith("bad.jsonl:2:"), e.getMessage());
    }

    @Test
    void knownFormatsMapOntoRecordKinds() throws IOException {
        Path f = dir.resolve("mixed.jsonl");
        Files.writeString(f, String.join("\n",
                "{\"prompt\":\"\\n\\nHuman: Hi there\\n\\nAssistant: Hello!\\n\\nHuman: Name a fruit.\\n\\nAssistant:\",\"chosen\":\" An apple.\",\"rejected\":\" No.\"}",
                "{\"chosen\":\"\\n\\nHuman: 你好\\n\\nAssistant: 你好！有什么可以帮你？\",\"rejected\":\"\\n\\nHuman: 你好\\n\\nAssistant: 走开。\"}",
                "{\"instruction\":\"翻译\",\"input\":\"hello\",\"output\":\"你好\"}",
                "{\"conversations\":[{\"from\":\"human\",\"value\":\"Hi\"},{\"from\":\"gpt\",\"value\":\"Hello\"}]}",
                "{\"prompt\":\"Write a haiku.\",\"category\":\"generation\"}",
                "{\"text\":\"plain\"}"));
        List<Record> rs = DataTestKit.read(new JsonlSource(), "path = \"" + f + "\"");
        Record rm = rs.get(0);
        assertEquals(Record.Kind.PREFERENCE, rm.kind());
        assertEquals(List.of("An apple.", "No."), rm.answers());
        assertEquals(3, rm.messages().size());
        assertEquals(new Message(Message.Role.USER, "Name a fruit."), rm.messages().get(2));
        Record hh = rs.get(1);
        assertEquals("hh-rlhf", hh.meta().get("format"));
        assertEquals(List.of(Message.user("你好")), hh.messages());
        assertEquals(List.of("你好！有什么可以帮你？", "走开。"), hh.answers());
        Record alpaca = rs.get(2);
        assertEquals(Record.Kind.CONVERSATION, alpaca.kind());
        assertEquals(List.of(Message.user("翻译\nhello"), Message.assistant("你好")), alpaca.messages());
        assertEquals(Record.Kind.CONVERSATION, rs.get(3).kind());
        assertEquals(Record.Kind.PROMPT, rs.get(4).kind());
        assertEquals("generation", rs.get(4).meta().get("category-label"));
        assertEquals(Record.Kind.DOCUMENT, rs.get(5).kind());
    }

    @Test
    void jsonArraysOfLlamaFactoryDemosStreamElementByElement() throws IOException {
        Path lf = DataTestKit.sharedData("llamafactory");
        List<Record> alpaca = DataTestKit.read(new JsonSource(), "path = \"" + lf.resolve("alpaca_zh_demo.json") + "\", format = alpaca");
        assertTrue(alpaca.size() > 100, "alpaca_zh_demo has hundreds of examples: " + alpaca.size());
        Record first = alpaca.get(0);
        assertEquals(Record.Kind.CONVERSATION, first.kind());
        assertTrue(first.messages().get(0).content().startsWith("识别并解释"), first.messages().get(0).content());
        assertEquals(2, first.provenance().line());
        List<Record> dpo = DataTestKit.read(new JsonSource(), "path = \"" + lf.resolve("dpo_en_demo.json") + "\"");
        assertTrue(dpo.stream().allMatch(r -> r.kind() == Record.Kind.PREFERENCE && r.answers().size() == 2));
        assertEquals(Message.Role.USER, dpo.get(0).messages().get(0).role());
        List<Record> kto = DataTestKit.read(new JsonSource(), "path = \"" + lf.resolve("kto_en_demo.json") + "\"");
        assertTrue(kto.stream().allMatch(r -> r.kind() == Record.Kind.CONVERSATION && r.meta().containsKey("kto-label")));
    }

    @Test
    void jsonSourceReadsJsonLinesInADotJsonFileLikeBellesEvalSet() throws IOException {
        Path belle = DataTestKit.sharedData("belle-eval/eval_set.json");
        List<Record> rs = DataTestKit.read(new JsonSource(), "path = \"" + belle + "\", format = prompt,"
                + " fields { prompt = question, category = class }");
        assertEquals(1000, rs.size());
        assertEquals(Record.Kind.PROMPT, rs.get(0).kind());
        assertTrue(rs.get(0).text().contains("Python"), rs.get(0).text());
        assertTrue(rs.stream().anyMatch(r -> r.meta().get("category-label").equals("closed\u00a0qa")));
    }

    @Test
    void aBrokenArrayIsReportedAndTheRestOfTheFileSkipped() throws IOException {
        Path f = dir.resolve("arr.json");
        Files.writeString(f, "[\n {\"text\": \"one\"},\n {\"text\": \"two\"\n");
        SourceStream s = new JsonSource().open(ConfigFactory.parseString("path = \"" + f + "\""));
        assertEquals("one", s.next().text());
        assertEquals(null, s.next());
        assertEquals(1, s.malformed().count());
    }

    @Test
    void aFieldOfTheWrongJsonTypeFailsNamingFileLineAndField() throws IOException {
        Path f = dir.resolve("trl.jsonl");
        Files.writeString(f, String.join("\n",
                "{\"prompt\":\"Hi\",\"chosen\":\"Hello!\",\"rejected\":\"Go away.\"}",
                "{\"prompt\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"chosen\":[{\"role\":\"assistant\",\"content\":\"Hello!\"}],"
                        + "\"rejected\":[{\"role\":\"assistant\",\"content\":\"Go away.\"}]}",
                "{\"prompt\":\"Write a haiku.\",\"completion\":\"Autumn moonlight\"}"));
        SourceStream s = new JsonlSource().open(ConfigFactory.parseString("path = \"" + f + "\", format = rm-static, on-error = fail"));
        s.next();
        StageFailure e = assertThrows(StageFailure.class, s::next);
        assertTrue(e.getMessage().startsWith("trl.jsonl:2:") && e.getMessage().contains("field 'prompt' must be a string, got a list")
                && e.getMessage().contains("format = trl reads it"), e.getMessage());
        List<Record> auto = DataTestKit.read(new JsonlSource(), "path = \"" + f + "\", on-error = fail");
        assertEquals(List.of("Hello!", "Go away."), auto.get(1).answers(), "auto reads TRL's conversational preference");
        assertEquals(List.of(Message.user("Write a haiku."), Message.assistant("Autumn moonlight")), auto.get(2).messages(),
                "and its prompt-completion, which a prompt-only reading would have cut to the prompt");
    }
}
