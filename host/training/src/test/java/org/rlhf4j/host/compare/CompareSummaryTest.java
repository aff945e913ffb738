package org.rlhf4j.host.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** compare.json from a spec and the shared-stage decision: every field, the variants' in a fixed order. */
class CompareSummaryTest {

    @Test
    void theSummaryNamesTheVariantsTheSharedStagesAndWhyTheNextIsNot() throws Exception {
        CompareSpec spec = new CompareSpec("cmp", Path.of("out"), List.of(
                new CompareSpec.Variant("plain", Path.of("plain.conf"), List.of("ppo.steps=2")),
                new CompareSpec.Variant("safe", Path.of("safe.conf"), List.of())), null, true, 20);
        SharedStages.Decision decision = new SharedStages.Decision(List.of("reward", "cost"), "stage ppo: variant 'safe' sets ppo.safety");

        String json = new ObjectMapper().writeValueAsString(CompareSummary.from(spec, decision));

        assertEquals("{\"name\":\"cmp\",\"variants\":["
                + "{\"name\":\"plain\",\"config\":\"plain.conf\",\"set\":[\"ppo.steps=2\"],\"directory\":\"" + Path.of("out", "plain") + "\"},"
                + "{\"name\":\"safe\",\"config\":\"safe.conf\",\"set\":[],\"directory\":\"" + Path.of("out", "safe") + "\"}],"
                + "\"shared-stages\":[\"reward\",\"cost\"],\"shared-stages-listed\":false,"
                + "\"not-shared-because\":\"stage ppo: variant 'safe' sets ppo.safety\",\"fork\":true}", json);
    }
}
