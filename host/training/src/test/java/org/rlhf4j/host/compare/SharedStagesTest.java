package org.rlhf4j.host.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rule that decides which stages variants share, on configs alone (no plugins, no models). */
class SharedStagesTest {

    static final Set<String> NAMES = Set.of("reward", "ppo", "evaluate", "sft", "my.loss", "learned-reward", "human");

    static SharedStages.Variant variant(String name, String extra) {
        Config c = ConfigFactory.parseString("""
                run { seed = 1, device = cpu, name = %s, stages = [sft, reward, ppo] }
                model.width = 8
                tokenizer.vocab-size = 64
                generate.max-new-tokens = 4
                sft.steps = 5
                reward { loss = my.loss, steps = 5 }
                my.loss { margin = 1 }
                ppo { reward = learned-reward, steps = 2 }
                learned-reward.batch-size = 4
                classify.categories = [chat]
                annotate.annotators = [human]
                human.port = 1
                """.formatted(name) + extra).resolve();
        return new SharedStages.Variant(name, c, NAMES);
    }

    @Test
    void aStageDependsOnTheGlobalsItsBlockTheExtensionsItNamesAndWhatTheyRead() {
        Config c = variant("a", "evaluate { judges.annotators = [human] }").config();
        Set<String> ppo = StageSettings.paths("ppo", c, NAMES);
        assertEquals(Set.of("run.seed", "run.device", "model", "tokenizer", "generate", "ppo", "learned-reward"), ppo);
        Set<String> evaluate = StageSettings.paths("evaluate#sft", c, NAMES);
        assertTrue(evaluate.containsAll(List.of("evaluate", "classify", "annotate", "human")), evaluate.toString());
        assertTrue(StageSettings.paths("reward", c, NAMES).contains("my.loss"));
    }

    @Test
    void decidedStopsAtTheFirstStageWhoseSettingsDifferEvenInASelectedExtensionsBlock() {
        SharedStages.Decision d = SharedStages.decide(List.of(variant("a", ""), variant("b", "my.loss.margin = 2")), null);
        assertEquals(List.of("sft"), d.stages());
        assertTrue(d.stopReason().startsWith("stage reward: variant 'b' sets my.loss.margin = 2"), d.stopReason());

        d = SharedStages.decide(List.of(variant("a", ""), variant("b", "ppo.steps = 9")), null);
        assertEquals(List.of("sft", "reward"), d.stages());

        d = SharedStages.decide(List.of(variant("a", ""), variant("b", "run.stages = [sft, ppo]")), null);
        assertEquals(List.of("sft"), d.stages());
        assertTrue(d.stopReason().contains("of variant 'b' ppo"), d.stopReason());

        d = SharedStages.decide(List.of(variant("a", ""), variant("b", "model.width = 16")), null);
        assertEquals(List.of(), d.stages());
    }

    @Test
    void listedStagesMustBeEveryVariantsFirstStagesAndIdentical() {
        CompareProblem order = assertThrows(CompareProblem.class, () -> SharedStages.decide(
                List.of(variant("a", ""), variant("b", "")), List.of("reward")));
        assertTrue(order.getMessage().contains("must be the first stages"), order.getMessage());
        CompareProblem differs = assertThrows(CompareProblem.class, () -> SharedStages.decide(
                List.of(variant("a", ""), variant("b", "sft.steps = 6")), List.of("sft", "reward")));
        assertTrue(differs.getMessage().contains("stage sft is shared") && differs.getMessage().contains("sft.steps = 6"),
                differs.getMessage());
        assertEquals(List.of("sft", "reward"),
                SharedStages.decide(List.of(variant("a", ""), variant("b", "ppo.steps = 3")), List.of("sft", "reward")).stages());
    }
}
