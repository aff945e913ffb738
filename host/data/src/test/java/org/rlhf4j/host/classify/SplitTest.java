package org.rlhf4j.host.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.data.Record;

class SplitTest {

    static List<Record> prompts() {
        List<Record> rs = new ArrayList<>();
        String[] cats = {"generation", "open-qa", "math", "code"};
        for (int i = 0; i < 400; i++) {
            String c = cats[i % 4];
            rs.add(new Record("p" + i, Record.Kind.PROMPT, "Prompt number " + i + " about " + c + " with words " + (i * 31 % 97)
                    + " and " + (i * 17 % 89), null, null, Map.of("category", c), null));
        }
        return rs;
    }

    static Map<String, Double> shares() {
        return Map.of("sft", 0.15, "reward", 0.4, "ppo", 0.4, "eval", 0.05);
    }

    @Test
    void setsAreDisjointFollowTheSharesAndDoNotDependOnInputOrder() {
        PromptSplitter s = new PromptSplitter(shares(), Map.of(), 8, 42);
        Map<String, List<Record>> a = s.split(prompts());
        List<Record> shuffled = new ArrayList<>(prompts());
        Collections.shuffle(shuffled, new Random(1));
        Map<String, List<Record>> b = s.split(shuffled);
        Set<String> seen = new HashSet<>();
        int total = 0;
        for (String set : PromptSplitter.SETS) {
            assertEquals(ids(a.get(set)), ids(b.get(set)), set);
            for (Record r : a.get(set)) {
                assertTrue(seen.add(r.id()), r.id() + " is in two sets");
                assertEquals(set, r.meta().get("split"));
            }
            total += a.get(set).size();
        }
        assertEquals(400, total);
        // 100 per category: 15 / 40 / 40 / 5 by the shares, then eval raised to its minimum of 8, taken from ppo.
        assertEquals(4 * 8, a.get("eval").size());
        assertEquals(4 * 15, a.get("sft").size());
        assertEquals(4 * 40, a.get("reward").size());
        assertEquals(4 * 37, a.get("ppo").size());
        Map<String, List<Record>> other = new PromptSplitter(shares(), Map.of(), 8, 7).split(prompts());
        assertTrue(!ids(other.get("eval")).equals(ids(a.get("eval"))), "another seed gives another split");
    }

    @Test
    void quotasCapACategoryAndTheRestIsReportedUnused() {
        PromptSplitter s = new PromptSplitter(shares(), Map.of("reward", Map.of("math", 10)), 1, 42);
        Map<String, List<Record>> out = s.split(prompts());
        assertEquals(10, out.get("reward").stream().filter(r -> r.meta().get("category").equals("math")).count());
        assertEquals(30, out.get("unused").size());
    }

    private static List<String> ids(List<Record> rs) {
        return rs.stream().map(Record::id).sorted().toList();
    }
}
