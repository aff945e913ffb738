package org.rlhf4j.host.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.api.data.Message;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.testkit.DataTestKit;

/**
 * TRL's dataset types, on the example rows of its "Dataset formats and types" page
 * (https://huggingface.co/docs/trl/dataset_formats), each in its standard and its conversational form.
 */
class TrlFormatsTest {

    private static final String SKY_USER = "{\"role\":\"user\",\"content\":\"What color is the sky?\"}";
    private static final String BLUE = "{\"role\":\"assistant\",\"content\":\"It is blue.\"}";
    private static final String GREEN = "{\"role\":\"assistant\",\"content\":\"It is green.\"}";

    @TempDir
    Path dir;

    private List<Record> read(String format, String... rows) throws IOException {
        Path f = dir.resolve(format + ".jsonl");
        Files.writeString(f, String.join("\n", rows) + "\n");
        return DataTestKit.read(new JsonlSource(), "path = \"" + f + "\", name = trl, format = " + format + ", on-error = fail");
    }

    @Test
    void languageModelingTextIsADocumentAndMessagesAConversation() throws IOException {
        List<Record> rs = read("trl-language-modeling", "{\"text\":\"The sky is blue.\"}",
                "{\"messages\":[" + SKY_USER + "," + BLUE + "]}");
        assertEquals(Record.Kind.DOCUMENT, rs.get(0).kind());
        assertEquals("The sky is blue.", rs.get(0).text());
        assertEquals(Record.Kind.CONVERSATION, rs.get(1).kind());
        assertEquals(List.of(Message.user("What color is the sky?"), Message.assistant("It is blue.")), rs.get(1).messages());
        assertEquals("trl-language-modeling", rs.get(1).meta().get("format"));
    }

    @Test
    void promptOnlyIsAPromptOfTextOrTurns() throws IOException {
        List<Record> rs = read("trl-prompt-only", "{\"prompt\":\"The sky is\"}",
                "{\"prompt\":[{\"role\":\"system\",\"content\":\"Be brief.\"}," + SKY_USER + "]}");
        assertEquals(Record.Kind.PROMPT, rs.get(0).kind());
        assertEquals("The sky is", rs.get(0).text());
        assertEquals(Record.Kind.PROMPT, rs.get(1).kind());
        assertEquals(List.of(new Message(Message.Role.SYSTEM, "Be brief."), Message.user("What color is the sky?")),
                rs.get(1).messages());
    }

    @Test
    void promptCompletionIsAConversationOfPromptAndCompletion() throws IOException {
        List<Record> rs = read("trl-prompt-completion", "{\"prompt\":\"The sky is\",\"completion\":\" blue.\"}",
                "{\"prompt\":[" + SKY_USER + "],\"completion\":[" + BLUE + "]}");
        assertEquals(List.of(Message.user("The sky is"), Message.assistant("blue.")), rs.get(0).messages());
        assertEquals(Record.Kind.CONVERSATION, rs.get(1).kind());
        assertEquals(List.of(Message.user("What color is the sky?"), Message.assistant("It is blue.")), rs.get(1).messages());
    }

    @Test
    void preferenceWithAnExplicitOrAnImplicitPromptIsAPreference() throws IOException {
        List<Record> rs = read("trl-preference",
                "{\"prompt\":\"The sky is\",\"chosen\":\" blue.\",\"rejected\":\" green.\"}",
                "{\"chosen\":\"The sky is blue.\",\"rejected\":\"The sky is green.\"}",
                "{\"prompt\":[" + SKY_USER + "],\"chosen\":[" + BLUE + "],\"rejected\":[" + GREEN + "]}",
                "{\"chosen\":[" + SKY_USER + "," + BLUE + "],\"rejected\":[" + SKY_USER + "," + GREEN + "]}",
                "{\"chosen\":\"The sky is blue.\",\"rejected\":\"The sky is black.\"}");
        for (Record r : rs.subList(0, 2)) {
            assertEquals(Record.Kind.PREFERENCE, r.kind());
            assertEquals(List.of(Message.user("The sky is")), r.messages(), r.id());
            assertEquals(List.of("blue.", "green."), r.answers(), r.id());
        }
        for (Record r : rs.subList(2, 4)) {
            assertEquals(List.of(Message.user("What color is the sky?")), r.messages(), r.id());
            assertEquals(List.of("It is blue.", "It is green."), r.answers(), r.id());
        }
        // TRL's extract_prompt would cut after "The sky is b"; the prompt ends at the word the answers split.
        assertEquals(List.of(Message.user("The sky is")), rs.get(4).messages());
        assertEquals(List.of("blue.", "black."), rs.get(4).answers());
    }

    @Test
    void unpairedPreferenceIsAConversationWithItsKtoLabel() throws IOException {
        List<Record> rs = read("trl-unpaired-preference",
                "{\"prompt\":\"The sky is\",\"completion\":\" blue.\",\"label\":true}",
                "{\"prompt\":[" + SKY_USER + "],\"completion\":[" + GREEN + "],\"label\":false}");
        assertEquals(Record.Kind.CONVERSATION, rs.get(0).kind());
        assertEquals(List.of(Message.user("The sky is"), Message.assistant("blue.")), rs.get(0).messages());
        assertEquals("true", rs.get(0).meta().get("kto-label"));
        assertEquals(List.of(Message.user("What color is the sky?"), Message.assistant("It is green.")), rs.get(1).messages());
        assertEquals("false", rs.get(1).meta().get("kto-label"));
    }

    @Test
    void stepwiseSupervisionJoinsTheStepsAndKeepsTheirLabelsInOrder() throws IOException {
        List<Record> rs = read("trl-stepwise", "{\"prompt\":\"Which number is larger, 9.8 or 9.11?\",\"completions\":["
                + "\"The fractional part of 9.8 is 0.8, while the fractional part of 9.11 is 0.11.\","
                + "\"Since 0.11 is greater than 0.8, the number 9.11 is larger than 9.8.\"],\"labels\":[true,false]}");
        Record r = rs.get(0);
        assertEquals(Record.Kind.CONVERSATION, r.kind());
        assertEquals(Message.user("Which number is larger, 9.8 or 9.11?"), r.messages().get(0));
        assertEquals("The fractional part of 9.8 is 0.8, while the fractional part of 9.11 is 0.11.\n"
                + "Since 0.11 is greater than 0.8, the number 9.11 is larger than 9.8.", r.messages().get(1).content());
        assertEquals("true,false", r.meta().get("step-labels"));
    }

    private static String ultraFeedbackRow(String answer) {
        return "{\"prompt\":\"Which books are still banned in Canada?\",\"prompt_id\":\"8d3d\","
                + "\"chosen\":[{\"content\":\"Which books are still banned in Canada?\",\"role\":\"user\"},"
                + "{\"content\":\"" + answer + "\",\"role\":\"assistant\"}],"
                + "\"rejected\":[{\"content\":\"Which books are still banned in Canada?\",\"role\":\"user\"},"
                + "{\"content\":\"None at all.\",\"role\":\"assistant\"}],"
                + "\"messages\":[{\"content\":\"Which books are still banned in Canada?\",\"role\":\"user\"},"
                + "{\"content\":\"" + answer + "\",\"role\":\"assistant\"}],\"score_chosen\":8.0,\"score_rejected\":5.0}";
    }

    @Test
    void ultraFeedbackBinarizedTakesThePromptFromTheSharedUserTurnAndKeepsTheScores() throws IOException {
        List<Record> rs = read("ultrafeedback-binarized", ultraFeedbackRow("Few, by law."),
                "{\"prompt\":\"Hi\",\"prompt_id\":\"a1\",\"messages\":[{\"content\":\"Hi\",\"role\":\"user\"},"
                        + "{\"content\":\"Hello!\",\"role\":\"assistant\"}]}");
        Record r = rs.get(0);
        assertEquals(Record.Kind.PREFERENCE, r.kind());
        assertEquals(List.of(Message.user("Which books are still banned in Canada?")), r.messages(),
                "the user turn is the prompt once, not repeated before each answer");
        assertEquals(List.of("Few, by law.", "None at all."), r.answers());
        assertEquals("8d3d", r.meta().get("prompt-id"));
        assertEquals("8.0", r.meta().get("score-chosen"));
        assertEquals("5.0", r.meta().get("score-rejected"));
        assertEquals(Record.Kind.CONVERSATION, rs.get(1).kind(), "the SFT splits hold messages only");
        assertEquals("a1", rs.get(1).meta().get("prompt-id"));
    }

    @Test
    void ultraFeedbackBinarizedReadsFromParquetAsTheHubPublishesIt() throws IOException {
        String messages = " { repeated group list { required group element { required binary content (STRING);"
                + " required binary role (STRING); } } }";
        MessageType schema = MessageTypeParser.parseMessageType("message row { required binary prompt (STRING);"
                + " required binary prompt_id (STRING); required group chosen (LIST)" + messages
                + " required group rejected (LIST)" + messages + " required double score_chosen; required double score_rejected; }");
        Path file = dir.resolve("train_prefs-00000-of-00001.parquet");
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withConf(new PlainParquetConfiguration()).withType(schema).build()) {
            Group g = groups.newGroup().append("prompt", "什么颜色是天空？").append("prompt_id", "p1");
            for (String[] side : new String[][] {{"chosen", "蓝色。"}, {"rejected", "绿色。"}}) {
                Group list = g.addGroup(side[0]);
                list.addGroup("list").addGroup("element").append("content", "什么颜色是天空？").append("role", "user");
                list.addGroup("list").addGroup("element").append("content", side[1]).append("role", "assistant");
            }
            w.write(g.append("score_chosen", 9.5).append("score_rejected", 2.0));
        }
        Record r = DataTestKit.read(new ParquetSource(), "path = \"" + file + "\", on-error = fail").get(0);
        assertEquals("ultrafeedback-binarized", r.meta().get("format"));
        assertEquals(List.of(Message.user("什么颜色是天空？")), r.messages());
        assertEquals(List.of("蓝色。", "绿色。"), r.answers());
        assertEquals("9.5", r.meta().get("score-chosen"));
    }

    private static final List<String> MIXED = List.of(
            "{\"text\":\"The sky is blue.\"}",
            "{\"messages\":[" + SKY_USER + "," + BLUE + "]}",
            "{\"prompt\":[" + SKY_USER + "]}",
            "{\"prompt\":\"The sky is\",\"completion\":\" blue.\"}",
            "{\"prompt\":[" + SKY_USER + "],\"completion\":[" + BLUE + "]}",
            "{\"prompt\":\"The sky is\",\"chosen\":\" blue.\",\"rejected\":\" green.\"}",
            "{\"chosen\":\"The sky is blue.\",\"rejected\":\"The sky is green.\"}",
            "{\"chosen\":[" + SKY_USER + "," + BLUE + "],\"rejected\":[" + SKY_USER + "," + GREEN + "]}",
            "{\"prompt\":\"The sky is\",\"completion\":\" blue.\",\"label\":true}",
            "{\"prompt\":\"9.8 or 9.11?\",\"completions\":[\"9.11 is larger.\"],\"labels\":[false]}",
            ultraFeedbackRow("Few."));

    @Test
    void autoPicksEachTrlTypeByItsFields() throws IOException {
        List<Record> rs = read("auto", MIXED.toArray(String[]::new));
        assertEquals(List.of("document", "trl-language-modeling", "trl-prompt-only", "trl-prompt-completion",
                        "trl-prompt-completion", "trl-preference", "trl-preference", "trl-preference", "trl-unpaired-preference",
                        "trl-stepwise", "ultrafeedback-binarized"),
                rs.stream().map(r -> r.meta().get("format")).toList());
        assertEquals(List.of(Message.user("The sky is")), rs.get(6).messages(), "the implicit prompt is extracted");
    }

    @Test
    void autoStillReadsTheOlderLayoutsThatShareTrlsFieldNames() throws IOException {
        List<Record> rs = read("auto",
                "{\"prompt\":\"\\n\\nHuman: Name a fruit.\\n\\nAssistant:\",\"chosen\":\" An apple.\",\"rejected\":\" No.\"}",
                "{\"chosen\":\"\\n\\nHuman: Hi\\n\\nAssistant: Hello!\",\"rejected\":\"\\n\\nHuman: Hi\\n\\nAssistant: Go away.\"}",
                "{\"messages\":[" + SKY_USER + "," + BLUE + "],\"label\":true}",
                "{\"prompt\":\"Write a haiku.\"}");
        assertEquals(List.of("rm-static", "hh-rlhf", "sharegpt", "prompt"), rs.stream().map(r -> r.meta().get("format")).toList());
        assertEquals(List.of(Message.user("Hi")), rs.get(1).messages());
        assertEquals("true", rs.get(2).meta().get("kto-label"));
    }

    @Test
    void formatTrlDetectsTheTypeAndNamesTheUltraFeedbackLayout() throws IOException {
        List<Record> rs = read("trl", MIXED.toArray(String[]::new));
        assertEquals("trl-language-modeling", rs.get(0).meta().get("format"), "text is TRL's standard language modeling");
        assertEquals(Record.Kind.DOCUMENT, rs.get(0).kind());
        assertEquals("trl-prompt-only", rs.get(2).meta().get("format"));
        assertEquals("ultrafeedback-binarized", rs.get(10).meta().get("format"));
    }

    private StageFailure failure(String format, String... rows) throws IOException {
        Path f = dir.resolve("bad.jsonl");
        Files.writeString(f, String.join("\n", rows) + "\n");
        SourceStream s = new JsonlSource().open(ConfigFactory.parseString("path = \"" + f + "\", format = " + format + ", on-error = fail"));
        for (int i = 1; i < rows.length; i++) {
            s.next();
        }
        return assertThrows(StageFailure.class, s::next);
    }

    @Test
    void unknownFieldsAreNamedWithTheFormatsKnown() throws IOException {
        String m = failure("auto", "{\"text\":\"fine\"}", "{\"question\":\"Why?\",\"response\":\"Because.\"}").getMessage();
        assertTrue(m.startsWith("bad.jsonl:2:") && m.contains("[question, response]") && m.contains("trl-unpaired-preference")
                && m.contains("ultrafeedback-binarized") && m.contains("sharegpt"), m);
        String t = failure("trl", "{\"instruction\":\"Translate\",\"output\":\"Hola\"}").getMessage();
        assertTrue(t.startsWith("bad.jsonl:1:") && t.contains("format trl found no known layout in the fields [instruction, output]"), t);
    }

    @Test
    void aMessageWithoutARoleIsNamedByLineFieldAndPosition() throws IOException {
        String m = failure("auto", "{\"text\":\"fine\"}",
                "{\"chosen\":[" + SKY_USER + ",{\"content\":\"It is blue.\"}],\"rejected\":[" + SKY_USER + "," + GREEN + "]}").getMessage();
        assertTrue(m.startsWith("bad.jsonl:2:") && m.contains("message 2 of 'chosen' has no 'role'"), m);
        String tool = failure("trl-language-modeling", "{\"messages\":[" + SKY_USER + ",{\"role\":\"tool\",\"content\":\"{}\"}]}")
                .getMessage();
        assertTrue(tool.contains("message 2 of 'messages' has role 'tool'"), tool);
    }

    @Test
    void aRowMixingStandardAndConversationalFieldsFails() throws IOException {
        String m = failure("trl-prompt-completion", "{\"prompt\":\"The sky is\",\"completion\":[" + BLUE + "]}").getMessage();
        assertTrue(m.contains("'prompt' is a string but 'completion' a list of messages"), m);
        String steps = failure("trl-stepwise", "{\"prompt\":\"9.8 or 9.11?\",\"completions\":[\"a\",\"b\"],\"labels\":[true]}").getMessage();
        assertTrue(steps.contains("2 steps in 'completions' but 1 labels in 'labels'"), steps);
        String label = failure("trl-unpaired-preference", "{\"prompt\":\"a\",\"completion\":\"b\",\"label\":\"maybe\"}").getMessage();
        assertTrue(label.contains("field 'label' must hold true or false"), label);
    }

    @Test
    void theImplicitPromptOfStandardTextsNeverCutsAWord() {
        assertEquals("The sky is ".length(), TrlRows.sharedPrefix("The sky is blue.", "The sky is black."));
        assertEquals("The sky is ".length(), TrlRows.sharedPrefix("The sky is blue.", "The sky is green."));
        assertEquals("天空是".length(), TrlRows.sharedPrefix("天空是蓝色的。", "天空是绿色的。"), "ideographs are words of one character");
        assertEquals(2, TrlRows.sharedPrefix("ab1", "ab2"), "a prefix with no word start is kept whole rather than emptied");
    }
}
