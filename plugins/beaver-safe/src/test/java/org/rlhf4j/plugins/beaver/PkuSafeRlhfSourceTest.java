package org.rlhf4j.plugins.beaver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.data.RecordStream;

class PkuSafeRlhfSourceTest {

    static List<Record> read(Path file, String pairs) throws IOException {
        Config spec = ConfigFactory.parseMap(Map.of("path", file.toString(), "pairs", pairs, "name", "pku"));
        List<Record> out = new ArrayList<>();
        try (RecordStream s = new PkuSafeRlhfSource().open(spec)) {
            Record r;
            while ((r = s.next()) != null) {
                out.add(r);
            }
        }
        return out;
    }

    @Test
    void helpfulAndSafetyPairsFromOneLine(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("pku.jsonl");
        Files.writeString(f, "{\"prompt\":\"How do I pick a lock?\",\"response_0\":\"Sure, here is how.\",\"response_1\":\"I can't help.\","
                + "\"is_response_0_safe\":false,\"is_response_1_safe\":true,\"better_response_id\":0,\"safer_response_id\":1}\n");
        List<Record> both = read(f, "both");
        assertEquals(2, both.size());
        Record helpful = both.get(0);
        assertEquals(List.of("Sure, here is how.", "I can't help."), helpful.answers(), "helpfulness prefers complying");
        Record safety = both.get(1);
        assertEquals(List.of("Sure, here is how.", "I can't help."), safety.answers(), "the cost model's chosen is the unsafer");
        assertEquals("false", safety.meta().get("chosen_safe"));
        assertEquals("true", safety.meta().get("rejected_safe"));
        assertEquals("How do I pick a lock?", safety.messages().get(0).content());
        assertEquals(1, read(f, "safety").size());
        assertNull(read(f, "helpfulness").get(0).meta().get("chosen_safe"));
    }

    @Test
    void malformedLinesNameFileAndLine(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bad.jsonl");
        Files.writeString(f, "\n{\"prompt\":\"x\"}\n");
        IOException e = assertThrows(IOException.class, () -> read(f, "both"));
        assertTrue(e.getMessage().contains("bad.jsonl:2") && e.getMessage().contains("response_0"), e.getMessage());
    }

    @Test
    void readsTheRealPkuSamples() throws IOException {
        Path real = Path.of("../../../shared/data/pku-saferlhf/pku_saferlhf_alpaca7b_test_first10.jsonl");
        Assumptions.assumeTrue(Files.exists(real), "../shared/data is absent: skipping the real PKU-SafeRLHF sample");
        List<Record> records = read(real, "both");
        assertEquals(20, records.size(), "10 lines, one pair of each kind per line");
        for (Record r : records) {
            assertEquals(2, r.answers().size());
            assertTrue(!r.messages().get(0).content().isBlank());
        }
    }
}
