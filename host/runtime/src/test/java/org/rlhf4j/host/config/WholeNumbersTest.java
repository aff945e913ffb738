package org.rlhf4j.host.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.ConfigProblem;

class WholeNumbersTest {

    static Config with(String... sets) {
        return WholeNumbers.view(ConfigLoader.parseSets(List.of(sets))
                .withFallback(ConfigFactory.parseString("pretrain { steps = 10, lr = 0.001, sizes = [1, 2] }")).resolve());
    }

    @Test
    void aFractionReadAsAWholeNumberFailsNamingTheKeyAndWhereItWasSet() {
        ConfigProblem p = assertThrows(ConfigProblem.class, () -> with("pretrain.steps=2.5").getInt("pretrain.steps"));
        assertEquals("pretrain.steps (--set pretrain.steps=2.5): must be a whole number, got 2.5", p.getMessage());
        Config block = with("pretrain.steps=2.5").getConfig("pretrain"); // an extension's settings: a view too
        ConfigProblem q = assertThrows(ConfigProblem.class, () -> block.getLong("steps"));
        assertTrue(q.getMessage().startsWith("steps ("), q.getMessage());
        assertThrows(ConfigProblem.class, () -> with("pretrain.sizes=[1, 2.5]").getIntList("pretrain.sizes"));
    }

    @Test
    void wholeNumbersAndFractionsReadAsDoublesPass() {
        assertEquals(4, with("pretrain.steps=4").getInt("pretrain.steps"));
        assertEquals(4, with("pretrain.steps=4.0").getInt("pretrain.steps"));
        assertEquals(0.5, with("pretrain.lr=0.5").getDouble("pretrain.lr"));
        assertEquals(3.0, with("pretrain.lr=3").getDouble("pretrain.lr"));
        Config merged = ConfigFactory.parseString("x = 1").withFallback(with()); // a view merges like a config
        assertEquals(10, merged.getInt("pretrain.steps"));
    }
}
