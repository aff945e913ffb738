package org.rlhf4j.host.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.ConfigProblem;

class WholeNumbersTest {

    static final Config REFERENCE = ConfigFactory.parseString("pretrain { steps = 10, lr = 0.001, tokens = 10000000000 }");

    static Config with(String set) {
        return ConfigLoader.parseSets(List.of(set)).withFallback(REFERENCE).resolve();
    }

    @Test
    void aFractionForAWholeNumberSettingFailsNamingIt() {
        ConfigProblem p = assertThrows(ConfigProblem.class, () -> WholeNumbers.check(with("pretrain.steps=2.5"), REFERENCE));
        assertTrue(p.getMessage().startsWith("pretrain.steps (--set pretrain.steps=2.5): must be a whole number, got 2.5"), p.getMessage());
    }

    @Test
    void anIntSettingBeyondIntFailsButALongOneTakesIt() {
        ConfigProblem p = assertThrows(ConfigProblem.class, () -> WholeNumbers.check(with("pretrain.steps=3000000000"), REFERENCE));
        assertTrue(p.getMessage().contains("is out of range"), p.getMessage());
        assertDoesNotThrow(() -> WholeNumbers.check(with("pretrain.tokens=30000000000"), REFERENCE));
    }

    @Test
    void wholeValuesAndFractionsForFractionalSettingsPass() {
        assertDoesNotThrow(() -> WholeNumbers.check(with("pretrain.steps=4"), REFERENCE));
        assertDoesNotThrow(() -> WholeNumbers.check(with("pretrain.steps=4.0"), REFERENCE));
        assertDoesNotThrow(() -> WholeNumbers.check(with("pretrain.lr=3"), REFERENCE));
    }
}
