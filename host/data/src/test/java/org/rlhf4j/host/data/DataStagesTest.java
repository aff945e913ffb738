package org.rlhf4j.host.data;

import org.rlhf4j.host.testkit.Repository;
import org.rlhf4j.host.cli.data.DataCommand;
import org.rlhf4j.host.records.RecordJsonl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.host.testkit.RunHarness;

/** The data stages end to end through {@code rlhf data}, on the quickstart's shipped data. */
class DataStagesTest {

    private static final RunHarness RLHF = new RunHarness(DataCommand::new);

    @TempDir
    Path dir;

    /** A run file with the quickstart's data settings (configs/quickstart/data.conf) and {@code extra}. */
    Path config(Path run, String extra) throws IOException {
        Path root = Repository.root();
        Path f = dir.resolve("data-" + run.getFileName() + ".conf");
        Files.writeString(f, "include file(\"" + root.resolve("configs/quickstart/data.conf") + "\")\n"
                + "data-dir = \"" + root.resolve("configs/quickstart/data") + "\"\n"
                + "run { name = data-test, output = \"" + run + "\", stages = [acquire, filter, classify, split] }\n" + extra);
        return f;
    }

    @Test
    void quickstartDataStagesShowEveryFilterAtWorkAndThenSplit() throws IOException {
        Path run = dir.resolve("run");
        Path plugins = Files.createDirectories(dir.resolve("no-plugins"));
        RunHarness.Result r = RLHF.rlhf(plugins, "data", config(run, "").toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode report = new ObjectMapper().readTree(run.resolve("data/report.json").toFile());
        assertEquals(1, report.at("/acquire/sources/0/malformed-skipped").asInt(), "the planted broken line");
        for (JsonNode f : report.at("/filter/filters")) {
            assertTrue(f.get("dropped").asLong() + f.get("modified").asLong() > 0, f.get("filter").asText() + " did nothing: " + f);
        }
        assertTrue(report.at("/filter/languages-kept/zh").asLong() > 100 && report.at("/filter/languages-kept/en").asLong() > 100);
        assertTrue(report.at("/filter/details/minhash-dedup/clusters").asInt() >= 10);
        assertEquals(13, report.at("/classify/categories").size());
        assertTrue(report.at("/classify/eval-coverage/missing").isEmpty());
        assertTrue(Files.readString(run.resolve("data/report.html")).contains("minhash-dedup"));
        List<Record> rejected = RecordJsonl.readAll(run.resolve("data/rejected.jsonl"));
        assertTrue(rejected.stream().anyMatch(x -> x.meta().get("rejected-by").equals("code-license")));
        String filtered = Files.readString(run.resolve("data/filtered.jsonl"));
        assertTrue(filtered.contains("<EMAIL>") && filtered.contains("<AWS_KEY>") && filtered.contains("<JWT>") && !filtered.contains("AKIAQYLPMN5HHHFPZAM2"));
        Set<String> seen = new HashSet<>();
        long total = 0;
        for (String set : List.of("sft", "reward", "ppo", "eval")) {
            for (Record x : RecordJsonl.readAll(run.resolve("data/splits/" + set + ".jsonl"))) {
                assertTrue(seen.add(x.id()), x.id() + " in two splits");
                total++;
            }
        }
        assertTrue(total > 400, "split " + total + " prompts");
        assertTrue(report.at("/split/eval-leaks-removed").asInt() > 0, "templated prompts leak and are removed");
    }

    @Test
    void aMissingCategoryInTheEvaluationSetFailsTheStageNamingIt() throws IOException {
        Path evalSet = dir.resolve("eval.jsonl");
        Files.writeString(evalSet, "{\"prompt\":\"写一首诗。\",\"category\":\"generation\"}\n{\"prompt\":\"Why?\",\"category\":\"open qa\"}\n");
        RunHarness.Result r = RLHF.rlhf(Files.createDirectories(dir.resolve("p")), "data", config(dir.resolve("run2"),
                "classify.coverage { source.path = \"" + evalSet + "\", min-per-category = 1 }\n").toString());
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains("brainstorming (0)") && r.err().contains("safety-sensitive (0)") && !r.err().contains("generation (0)"), r.err());
    }

    @Test
    void anEmptySourceAndAChainThatKeepsNothingAreNamedInWarnings() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.jsonl"), "");
        Path tiny = Files.writeString(dir.resolve("tiny.jsonl"), "{\"id\":\"t1\",\"kind\":\"document\",\"text\":\"too short\"}\n");
        Path conf = Files.writeString(dir.resolve("empty.conf"), """
                run { name = empty, output = "%s", stages = [acquire, filter] }
                acquire.sources = [{ type = jsonl, path = "%s", name = nothing }, { type = jsonl, path = "%s", name = tiny }]
                filter.chain = [short-text]
                """.formatted(dir.resolve("run-empty"), empty, tiny));
        RunHarness.Result r = RLHF.rlhf(Files.createDirectories(dir.resolve("p3")), "run", conf.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("acquire: source 'nothing' (" + empty + ", " + conf + ":2) gave no records"), r.err());
        assertTrue(r.err().contains("filter: no record of 1 is left after the chain (short-text dropped 1)"), r.err());
    }
}
