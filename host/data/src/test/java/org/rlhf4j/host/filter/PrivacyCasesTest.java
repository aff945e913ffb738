package org.rlhf4j.host.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.data.RecordFilter;
import org.rlhf4j.host.testkit.DataTestKit;

/** The shipped labelled cases ({@link PrivacyCases}) against the filters with their default settings. */
class PrivacyCasesTest {

    static final Map<String, RecordFilter> FILTERS = Map.of(
            "pii", new PiiFilter(DataTestKit.settings("pii", "")),
            "code-secrets", new SecretsFilter(DataTestKit.settings("code-secrets", "")));

    @Test
    void everyRequiredPositiveIsCaughtAndNoNegativeTouched() {
        Map<String, PrivacyCases.Score> scores = PrivacyCases.score(PrivacyCases.load(), FILTERS);
        System.out.printf("%-40s %9s %7s %9s %8s%n", "filter/family", "positives", "recall", "negatives", "touched");
        scores.forEach((k, s) -> System.out.printf("%-40s %9d %7.3f %9d %8d%n", k, s.positives(), s.recall(), s.negatives(),
                s.touched()));
        String failures = scores.values().stream().flatMap(s -> s.failures().stream()).collect(Collectors.joining("\n"));
        assertTrue(failures.isEmpty(), failures);
    }

    @Test
    void everyFamilyHasPositivesAndNegativesAndThereAreAtLeast300Cases() {
        List<PrivacyCases.Case> cases = PrivacyCases.load();
        assertTrue(cases.size() >= 300, cases.size() + " cases");
        PrivacyCases.score(cases, FILTERS).forEach((k, s) -> {
            assertTrue(s.positives() > 0, k + " has no positive case");
            assertTrue(s.negatives() > 0, k + " has no negative case");
        });
    }

    @Test
    void aPositiveIsCaughtOnlyWhenExactlyItsValuesAreReplaced() throws Exception {
        String jsonl = """
                {"filter":"pii","family":"email","text":"mail a.b@example.org or c@example.org","found":["a.b@example.org"],"tag":"<EMAIL>"}
                {"filter":"pii","family":"email","text":"no address here","found":[]}
                {"filter":"pii","family":"email","text":"mail a.b@example.org","found":["a.b@example.org"],"tag":"<EMAIL>"}
                """;
        List<PrivacyCases.Case> cases = PrivacyCases.parse(new ByteArrayInputStream(jsonl.getBytes(StandardCharsets.UTF_8)), "t.jsonl");
        PrivacyCases.Score s = PrivacyCases.score(cases, FILTERS).get("pii/email");
        assertEquals(2, s.positives());
        assertEquals(1, s.caught(), "the first case redacts a second address it did not list: " + s.failures());
        assertEquals(1, s.missed());
        assertEquals(0, s.touched());
        assertTrue(s.failures().get(0).startsWith("t.jsonl:1 missed"), s.failures().toString());
    }
}
