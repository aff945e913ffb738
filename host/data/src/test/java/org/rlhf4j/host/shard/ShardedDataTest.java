package org.rlhf4j.host.shard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.host.testkit.Repository;
import org.rlhf4j.host.cli.data.DataCommand;
import org.rlhf4j.host.testkit.RunHarness;
import org.rlhf4j.host.cli.ExitCodes;

/**
 * {@code rlhf data} on the quickstart's data, once unsharded and once as acquire, three filter shards and a merge:
 * the same survivors, rejected records and reasons, per-filter counts and examples, dedup details, classification
 * and split, byte for byte (dedup runs in the merge over every shard's survivors, never only within a shard).
 */
class ShardedDataTest {

    private static final RunHarness RLHF = new RunHarness(DataCommand::new);

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path plugins;
    static Path whole;
    static Path sharded;
    static Path shardedConf;

    static Path config(Path run) throws IOException {
        Path root = Repository.root();
        Path f = dir.resolve(run.getFileName() + ".conf");
        Files.writeString(f, "include file(\"" + root.resolve("configs/quickstart/data.conf") + "\")\n"
                + "data-dir = \"" + root.resolve("configs/quickstart/data") + "\"\n"
                + "run { name = shard-test, output = \"" + run + "\", stages = [acquire, filter, classify, split] }\n");
        return f;
    }

    static void ok(String... args) {
        RunHarness.Result r = RLHF.rlhf(plugins, args);
        assertEquals(0, r.exitCode(), r.err());
    }

    @BeforeAll
    static void runBoth() throws IOException {
        plugins = Files.createDirectories(dir.resolve("no-plugins"));
        whole = dir.resolve("whole");
        sharded = dir.resolve("sharded");
        ok("data", config(whole).toString());
        shardedConf = config(sharded);
        ok("data", shardedConf.toString(), "--set", "run.stages=[acquire]");
        for (int i = 2; i >= 0; i--) {
            ok("data", shardedConf.toString(), "--shard", i + "/3");
        }
        ok("data", shardedConf.toString(), "--merge", "3");
    }

    @Test
    void mergedShardsKeepAndRejectWhatOneRunDoes() throws IOException {
        for (String f : List.of("data/filtered.jsonl", "data/rejected.jsonl", "data/classified.jsonl",
                "data/splits/sft.jsonl", "data/splits/ppo.jsonl", "data/splits/eval.jsonl")) {
            String expected = Files.readString(whole.resolve(f));
            assertTrue(expected.lines().count() > 10, f + " has " + expected.lines().count() + " lines");
            assertEquals(expected, Files.readString(sharded.resolve(f)), f);
        }
        // a near-duplicate pair crosses shards only if dedup ran over all of them: some rejects come from dedup
        assertTrue(Files.readString(sharded.resolve("data/rejected.jsonl")).contains("near-duplicate"));
    }

    @Test
    void theReportSumsTheShardsCounts() throws IOException {
        JsonNode a = JSON.readTree(whole.resolve("data/report.json").toFile()).at("/filter");
        JsonNode b = JSON.readTree(sharded.resolve("data/report.json").toFile()).at("/filter");
        assertEquals(a.get("filters"), b.get("filters"));
        assertEquals(a.get("records-in"), b.get("records-in"));
        assertEquals(a.get("languages-kept"), b.get("languages-kept"));
        assertEquals(a.at("/details/minhash-dedup"), b.at("/details/minhash-dedup"));
        assertEquals(3, b.get("shards").asInt());
    }

    @Test
    void aMissingShardStopsTheMergeNamingIt() throws IOException {
        Path fresh = dir.resolve("fresh");
        Path conf = config(fresh);
        RunHarness.Result r = RLHF.rlhf(plugins, "data", conf.toString(), "--shard", "0/2");
        assertEquals(ExitCodes.STAGE_FAILED, r.exitCode());
        assertTrue(r.err().contains("data/acquired.jsonl does not exist: run the acquire stage first"), r.err());
        ok("data", conf.toString(), "--set", "run.stages=[acquire]");
        ok("data", conf.toString(), "--shard", "0/2");
        r = RLHF.rlhf(plugins, "data", conf.toString(), "--merge", "2");
        assertEquals(ExitCodes.STAGE_FAILED, r.exitCode());
        assertTrue(r.err().contains("shard 1/2 is missing"), r.err());
    }
}
