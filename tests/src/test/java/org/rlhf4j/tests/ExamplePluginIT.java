package org.rlhf4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin template (examples/plugin-template), built by Maven as an author builds it, dropped beside the
 * distribution's plugins: the host lists it, and configs/smoke/example-plugin.conf runs the quickstart task with its
 * filter, stage and PPO scheduler through the real CLI.
 */
class ExamplePluginIT {

    static Path templateZip() {
        Path zip = Path.of(System.getProperty("rlhf.example.zip",
                "../examples/plugin-template/target/example-rlhf-1.0.0.zip")).toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(zip), "no template zip at " + zip + ": build examples/plugin-template first");
        return zip;
    }

    private static Path plugins(Path dir) throws Exception {
        Path plugins = PluginsIT.copyDistPlugins(dir);
        Files.copy(templateZip(), plugins.resolve(templateZip().getFileName()));
        return plugins;
    }

    @Test
    void theTemplatesZipIsListedWithItsThreeExtensions(@TempDir Path dir) throws Exception {
        Cli.Result r = Cli.run(dir, "--plugins", plugins(dir).toString(), "plugins");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().lines().anyMatch(l -> l.contains("example-rlhf") && l.contains("STARTED")), r.toString());
        for (String[] ext : List.of(new String[] {"RecordFilter", "example.banned-words"},
                new String[] {"PpoScheduler", "example.reinforce"}, new String[] {"Stage", "example.sample"})) {
            assertTrue(r.out().lines().anyMatch(l -> l.contains(ext[0]) && l.contains(ext[1]) && l.contains("example-rlhf")),
                    ext[1] + " not listed\n" + r);
        }
    }

    @Test
    void theSmokeConfigRunsWithTheTemplatesFilterStageAndScheduler(@TempDir Path dir) throws Exception {
        Path repo = Path.of("..").toAbsolutePath().normalize();
        Path out = dir.resolve("run");
        Cli.Result r = Cli.run(repo, "--plugins", plugins(dir).toString(), "run", "configs/smoke/example-plugin.conf",
                "--set", "run.output=\"" + out + "\"");
        assertEquals(0, r.exitCode(), r.toString());

        List<String> rejected = Files.readAllLines(out.resolve("data/rejected.jsonl"));
        List<String> banned = rejected.stream().filter(l -> l.contains("\"rejected-by\":\"example.banned-words\"")).toList();
        assertTrue(!banned.isEmpty(), "the template's filter dropped nothing\n" + r);
        assertTrue(banned.stream().allMatch(l -> l.contains("banned word")), banned.toString());
        String filtered = Files.readString(out.resolve("data/filtered.jsonl")).toLowerCase();
        assertTrue(!filtered.matches("(?s).*\\bcasino\\b.*"), "a record with a banned word was kept");

        assertEquals(3, Files.readAllLines(out.resolve("example/sample.jsonl")).size(), "the template's stage wrote its sample");
        assertTrue(Files.exists(out.resolve(".stages/example.sample.done")));

        assertTrue(Files.readString(out.resolve("config.resolved.conf")).contains("example.reinforce"));
        assertTrue(Files.exists(out.resolve("checkpoints/ppo/model.safetensors")), "PPO trained with the template's scheduler\n" + r);
        String metrics = Files.readString(out.resolve("metrics.jsonl"));
        assertTrue(metrics.contains("\"sampled\":3"), "the stage's metrics reached metrics.jsonl");
        assertTrue(metrics.contains("\"event\":\"ppo-finished\""), "no ppo-finished line");
        assertTrue(r.err().contains("scheduler example.reinforce, critic none"), "a critic-free scheduler gets no critic\n" + r);
    }
}
