package org.rlhf4j.host.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.api.Extensions;
import org.rlhf4j.api.ppo.KlController;
import org.rlhf4j.api.stage.Stage;
import org.rlhf4j.host.cli.Session;
import org.rlhf4j.host.metrics.JsonlMetrics;

/**
 * Selection by name through the real catalog and injector, with built-ins found in this module's test index
 * ({@link TestExtensions}): each extension gets the config block of its name; unknown names and bad settings
 * fail naming the key, its file and line.
 */
class GuiceExtensionsTest {

    @TempDir
    Path dir;

    private Extensions extensions(String hocon) throws Exception {
        Path conf = Files.writeString(dir.resolve("kl.conf"), hocon);
        Session s = Session.open(conf, List.of(), java.nio.file.Files.createDirectories(dir.resolve("no-plugins")));
        JsonlMetrics m = new JsonlMetrics(dir.resolve("metrics.jsonl"));
        return s.injector(m).getInstance(Extensions.class);
    }

    @Test
    void aBuiltInIsCreatedByNameWithTheBlockOfItsName() throws Exception {
        Extensions ext = extensions("ppo.kl-controller = test-constant\ntest-constant.coefficient = 0.05\n");
        assertEquals(0.05, ext.select(KlController.class, "ppo.kl-controller").coefficient(), 0.0);
        assertTrue(ext.names(KlController.class).contains("test-constant"));
    }

    @Test
    void labelledEntriesAreSeparateInstancesOfOneExtension() throws Exception {
        Extensions ext = extensions("run.stages = [\"test-copy#a\", \"test-copy#b\"]\ntest-copy.from = x\n");
        List<Stage> stages = ext.selectAll(Stage.class, "run.stages");
        assertEquals(2, stages.size());
        assertInstanceOf(TestExtensions.CopyStage.class, stages.get(0));
        assertNotSame(stages.get(0), stages.get(1));
    }

    @Test
    void anUnknownNameListsTheKnownOnesWithFileAndLine() throws Exception {
        Extensions ext = extensions("\nppo.kl-controller = test-constnt\n");
        RuntimeException e = assertThrows(RuntimeException.class, () -> ext.select(KlController.class, "ppo.kl-controller"));
        assertInstanceOf(GuiceExtensions.UnknownExtension.class, e);
        assertTrue(e.getMessage().startsWith("ppo.kl-controller ("), e.getMessage());
        assertTrue(e.getMessage().contains("kl.conf:2"), e.getMessage());
        assertTrue(e.getMessage().contains("no KlController extension is named 'test-constnt'. Known: test-constant"), e.getMessage());
    }

    @Test
    void aBadValueIsTheExtensionsOwnProblemWithItsLine() throws Exception {
        Extensions ext = extensions("ppo.kl-controller = test-constant\ntest-constant.coefficient = -1\n");
        RuntimeException e = assertThrows(RuntimeException.class, () -> ext.select(KlController.class, "ppo.kl-controller"));
        assertTrue(e.getMessage().matches("test-constant\\.coefficient \\(.*kl\\.conf:2\\): must be >= 0, got -1\\.0"),
                "the key relative to the extension's block is named by its full path: " + e.getMessage());
    }

    @Test
    void anUnknownNameGivenInCodeSaysSoWithoutAKey() throws Exception {
        Extensions ext = extensions("run.seed = 1\n");
        RuntimeException e = assertThrows(RuntimeException.class, () -> ext.create(KlController.class, "nope"));
        assertTrue(e.getMessage().startsWith("no KlController extension is named 'nope'. Known: test-constant"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(a name given in code, not in the config)"), e.getMessage());
    }

    @Test
    void aWrongTypeNamesTheExtensionBlock() throws Exception {
        Extensions ext = extensions("ppo.kl-controller = test-constant\ntest-constant.coefficient = lots\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ext.select(KlController.class, "ppo.kl-controller"));
        assertTrue(e.getMessage().contains("test-constant.coefficient has type STRING rather than NUMBER"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(in the settings of KlController 'test-constant')"), e.getMessage());
    }
}
