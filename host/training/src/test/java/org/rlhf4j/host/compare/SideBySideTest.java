package org.rlhf4j.host.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report's side-by-side table takes held-out prompts in turn from each kind: single, dialogue, harmful. */
class SideBySideTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void samplesAreTakenRoundRobinOverKinds() throws Exception {
        Map<String, JsonNode[]> samples = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            add(samples, "q" + i, "{\"prompt\":\"q\",\"category\":\"math\"}");
        }
        add(samples, "d0", "{\"prompt\":\"q\",\"context\":[\"user: hi\",\"assistant: hello\"]}");
        add(samples, "d1", "{\"prompt\":\"q\",\"context\":[\"user: hi\",\"assistant: hello\"]}");
        add(samples, "h0", "{\"prompt\":\"q\",\"category\":\"safety-sensitive\"}");

        assertEquals(List.of("q0", "d0", "h0", "q1", "d1", "q2"), CompareReport.pickSamples(samples, 6));
        assertEquals(List.of("q0", "d0"), CompareReport.pickSamples(samples, 2));
        assertEquals(8, CompareReport.pickSamples(samples, 20).size(), "never more than there are");
    }

    private static void add(Map<String, JsonNode[]> samples, String id, String json) throws Exception {
        JsonNode n = JSON.readTree(json);
        samples.put(id, new JsonNode[] {n, n});
    }
}
