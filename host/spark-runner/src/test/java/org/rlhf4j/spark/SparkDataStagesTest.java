package org.rlhf4j.spark;

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
import org.rlhf4j.host.dist.Main;

/**
 * {@code rlhf data} on the quickstart's data, once in-process and once with {@code --engine spark} on the
 * loopback cluster (separate master, worker and executor JVMs): the same survivors, rejected records,
 * reasons, per-filter counts, classification and split, byte for byte.
 */
class SparkDataStagesTest {

    @TempDir
    static Path dir;

    static Path local;
    static Path spark;

    static Path config(Path run) throws IOException {
        Path root = Repository.root();
        Path f = dir.resolve(run.getFileName() + ".conf");
        Files.writeString(f, "include file(\"" + root.resolve("configs/quickstart/data.conf") + "\")\n"
                + "data-dir = \"" + root.resolve("configs/quickstart/data") + "\"\n"
                + "run { name = spark-test, output = \"" + run + "\", stages = [acquire, filter, classify, split] }\n");
        return f;
    }

    @BeforeAll
    static void runBoth() throws IOException {
        Path plugins = Files.createDirectories(dir.resolve("no-plugins"));
        local = dir.resolve("local");
        spark = dir.resolve("spark");
        assertEquals(0, Main.execute("--plugins", plugins.toString(), "data", config(local).toString()));
        String master = LoopbackCluster.master();
        assertEquals(0, Main.execute("--plugins", plugins.toString(), "data", config(spark).toString(),
                "--engine", "spark", "--master", master));
    }

    @Test
    void sparkKeepsAndRejectsTheSameRecordsForTheSameReasons() throws IOException {
        for (String f : List.of("data/filtered.jsonl", "data/rejected.jsonl")) {
            String expected = Files.readString(local.resolve(f));
            assertTrue(expected.lines().count() > 50, f + " has " + expected.lines().count() + " lines");
            assertEquals(expected, Files.readString(spark.resolve(f)), f);
        }
        assertTrue(Files.readString(spark.resolve("data/rejected.jsonl")).contains("near-duplicate: in a MinHash cluster with"));
    }

    @Test
    void thePerFilterCountsReasonsAndExamplesMatch() throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode a = json.readTree(local.resolve("data/report.json").toFile()).at("/filter");
        JsonNode b = json.readTree(spark.resolve("data/report.json").toFile()).at("/filter");
        assertEquals(a.get("filters"), b.get("filters"));
        assertEquals(a.get("records-in"), b.get("records-in"));
        assertEquals(a.get("languages-kept"), b.get("languages-kept"));
        assertTrue(b.get("engine").asText().startsWith("spark 4.0"), b.get("engine").asText());
        for (String k : List.of("clusters", "duplicates")) {
            assertEquals(a.at("/details/minhash-dedup/" + k), b.at("/details/minhash-dedup/" + k), k);
        }
        assertEquals(a.at("/details/exact-dedup/distinct-keys"), b.at("/details/exact-dedup/distinct-keys"));
    }

    @Test
    void classificationAndSplitDownstreamAreUnchanged() throws IOException {
        for (String f : List.of("data/classified.jsonl", "data/splits/sft.jsonl", "data/splits/reward.jsonl",
                "data/splits/ppo.jsonl", "data/splits/eval.jsonl")) {
            assertEquals(Files.readString(local.resolve(f)), Files.readString(spark.resolve(f)), f);
        }
    }
}
