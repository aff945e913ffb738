package org.rlhf4j.host.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.data.Provenance;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.host.classify.CategoryLabels;

class EvalSetTest {

    private static final CategoryLabels LABELS = new CategoryLabels(ConfigFactory.parseString("categories = [math, chat], aliases {}"));

    @Test
    void theCapIsPerSourceSoALaterSourceKeepsItsShare() {
        List<Record> records = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            records.add(prompt("eval-" + i, "math", Map.of(), "eval-prompts"));
            records.add(prompt("chat-" + i, "chat", Map.of(), "eval-prompts"));
        }
        for (int i = 0; i < 3; i++) {
            records.add(prompt("task-" + i, "math", Map.of("expected", String.valueOf(i)), "eval-tasks"));
        }
        EvalSet capped = EvalSet.of(records, LABELS, "evaluate#sft").capped(2);
        assertEquals(List.of("eval-0", "chat-0", "eval-1", "chat-1", "task-0", "task-1"),
                capped.items().stream().map(EvalSet.Item::id).toList(),
                "the first two of each category from each source: the task questions with expected answers are kept");
        assertEquals("eval-tasks", capped.items().get(4).source());
        assertEquals(13, EvalSet.of(records, LABELS, "evaluate#sft").capped(0).items().size(), "0 keeps everything");
    }

    private static Record prompt(String id, String category, Map<String, String> meta, String source) {
        Map<String, String> m = new java.util.HashMap<>(meta);
        m.put("category", category);
        return new Record(id, Record.Kind.PROMPT, "question " + id, List.of(), List.of(), m, new Provenance(source, source + ".jsonl", 1));
    }
}
