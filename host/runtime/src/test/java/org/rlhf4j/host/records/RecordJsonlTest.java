package org.rlhf4j.host.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.data.Message;
import org.rlhf4j.api.data.Provenance;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.stage.StageFailure;

class RecordJsonlTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void linesAreWhatJacksonsTreeWriterWritesAndReadBackUnchanged() throws Exception {
        Record r = new Record("web:1", Record.Kind.CONVERSATION, "Tab\\there, \"quotes\", é, 中文, 😀, \u0001 and a line\nbreak",
                List.of(new Message(Message.Role.USER, "hi </script>"), new Message(Message.Role.ASSISTANT, "\\\\ back")),
                List.of("a", ""), Map.of("lang", "en", "a", "1"), new Provenance("web", "f.jsonl", 12));
        String line = RecordJsonl.toLine(r);
        assertTrue(line.startsWith("{\"id\":\"web:1\",\"kind\":\"conversation\",\"text\":\"Tab\\\\there"), line);
        assertTrue(line.endsWith("\"meta\":{\"a\":\"1\",\"lang\":\"en\"},\"source\":\"web\",\"file\":\"f.jsonl\",\"line\":12}"), line);
        assertEquals(JSON.writeValueAsString(JSON.readTree(line)), line);
        assertEquals(r, RecordJsonl.fromLine(line, "t"));
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        RecordJsonl.write(r, bytes);
        assertEquals(line + System.lineSeparator(), bytes.toString(java.nio.charset.StandardCharsets.UTF_8));
        Record plain = Record.document("d", "", Map.of(), null);
        assertEquals("{\"id\":\"d\",\"kind\":\"document\",\"text\":\"\",\"messages\":[],\"answers\":[],\"meta\":{}}", RecordJsonl.toLine(plain));
        assertEquals(plain, RecordJsonl.fromLine(RecordJsonl.toLine(plain), "t"));
    }

    @Test
    void linesInOtherShapesAreReadWithJacksonsConversions() {
        Record r = RecordJsonl.fromLine("{\"id\":12,\"kind\":\"prompt\",\"text\":null,\"extra\":[1],\"meta\":{\"n\":3,\"b\":true},"
                + "\"source\":\"s\",\"line\":\"7\"}", "t");
        assertEquals("12", r.id());
        assertEquals("null", r.text());
        assertEquals(Map.of("n", "3", "b", "true"), r.meta());
        assertEquals(new Provenance("s", "", 7), r.provenance());
        Record twice = RecordJsonl.fromLine("{\"id\":\"a\",\"kind\":\"document\",\"text\":\"first\",\"text\":\"second\"}", "t");
        assertEquals("second", twice.text());
        Record noSource = RecordJsonl.fromLine("{\"id\":\"a\",\"kind\":\"DOCUMENT\",\"file\":\"f\",\"line\":3}", "t");
        assertNull(noSource.provenance());
        assertEquals("", noSource.text());
    }

    @Test
    void badLinesFailNamingWhere() {
        StageFailure bad = assertThrows(StageFailure.class, () -> RecordJsonl.fromLine("{\"id\":\"a\",", "f.jsonl:3"));
        assertTrue(bad.getMessage().startsWith("f.jsonl:3: not a JSON record"), bad.getMessage());
        StageFailure kind = assertThrows(StageFailure.class, () -> RecordJsonl.fromLine("{\"id\":\"a\",\"kind\":\"poem\"}", "f.jsonl:4"));
        assertEquals("f.jsonl:4: unknown kind 'poem'", kind.getMessage());
        StageFailure id = assertThrows(StageFailure.class, () -> RecordJsonl.fromLine("{\"kind\":\"document\"}", "f.jsonl:5"));
        assertTrue(id.getMessage().contains("needs at least"), id.getMessage());
    }
}
