package org.rlhf4j.host.ppo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.ConfigProblem;

/**
 * Golden test against transformers' get_scheduler itself ({@code golden/lr_schedule.json}, made by
 * {@code golden/make_lr_schedule_golden.py}): the factor of every update of cosine and constant schedules with and
 * without warm-up, DeepSpeed-Chat's 100 warm-up updates among them.
 */
class LearningRateScheduleTest {

    @Test
    void everyFactorMatchesTransformers() throws Exception {
        JsonNode cases;
        try (InputStream in = getClass().getResourceAsStream("/golden/lr_schedule.json")) {
            cases = new ObjectMapper().readTree(in).get("cases");
        }
        assertEquals(5, cases.size());
        for (JsonNode c : cases) {
            String name = c.get("name").asText();
            LearningRateSchedule ours = new LearningRateSchedule(name.startsWith("constant") ? "constant" : name,
                    c.get("warmup").asInt());
            long total = c.get("total").asLong();
            JsonNode factors = c.get("factors");
            assertEquals(total, factors.size());
            for (int s = 0; s < total; s++) {
                assertEquals(factors.get(s).asDouble(), ours.factor(s, total), 1e-12, name + " update " + s);
            }
        }
    }

    @Test
    void anUnknownTypeIsRefusedNamingTheKey() {
        ConfigProblem p = assertThrows(ConfigProblem.class,
                () -> LearningRateSchedule.from(ConfigFactory.parseString("type = linear, warmup = 0")));
        assertEquals("type", p.key());
    }
}
