package org.rlhf4j.host.ppo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.api.Extensions;
import org.rlhf4j.api.ppo.KlController;
import org.rlhf4j.host.cli.Session;
import org.rlhf4j.host.run.JsonlMetrics;
import org.rlhf4j.host.wiring.GuiceExtensions;

/** Built-ins are found through PF4J's index like plugin extensions, and created through Guice. */
class BuiltInSelectionTest {

    @TempDir
    Path dir;

    @Test
    void builtInIsSelectedByNameWithItsSettings() throws Exception {
        Path conf = dir.resolve("kl.conf");
        Files.writeString(conf, "ppo.kl-controller = fixed\nfixed.coefficient = 0.05\n");
        try (Session s = Session.open(conf, List.of(), dir.resolve("no-plugins"));
             JsonlMetrics m = new JsonlMetrics(dir.resolve("metrics.jsonl"))) {
            Extensions ext = s.injector(m).getInstance(Extensions.class);
            KlController kl = ext.select(KlController.class, "ppo.kl-controller");
            assertEquals(0.05, kl.coefficient(), 1e-12);
            assertTrue(ext.names(KlController.class).contains("fixed"));
        }
    }

    @Test
    void unknownNameListsKnownOnesWithFileAndLine() throws Exception {
        Path conf = dir.resolve("kl.conf");
        Files.writeString(conf, "\nppo.kl-controller = adaptiv\n");
        try (Session s = Session.open(conf, List.of(), dir.resolve("no-plugins"));
             JsonlMetrics m = new JsonlMetrics(dir.resolve("metrics.jsonl"))) {
            Extensions ext = s.injector(m).getInstance(Extensions.class);
            RuntimeException e = assertThrows(RuntimeException.class, () -> ext.select(KlController.class, "ppo.kl-controller"));
            assertInstanceOf(GuiceExtensions.UnknownExtension.class, e);
            assertTrue(e.getMessage().startsWith("ppo.kl-controller ("), e.getMessage());
            assertTrue(e.getMessage().contains("kl.conf:2"), e.getMessage());
            assertTrue(e.getMessage().contains("no KlController extension is named 'adaptiv'. Known: fixed"), e.getMessage());
        }
    }

    @Test
    void badSettingOfAnExtensionNamesItsBlock() throws Exception {
        Path conf = dir.resolve("kl.conf");
        Files.writeString(conf, "ppo.kl-controller = fixed\nfixed.coefficient = -1\n");
        try (Session s = Session.open(conf, List.of(), dir.resolve("no-plugins"));
             JsonlMetrics m = new JsonlMetrics(dir.resolve("metrics.jsonl"))) {
            Extensions ext = s.injector(m).getInstance(Extensions.class);
            RuntimeException e = assertThrows(RuntimeException.class, () -> ext.select(KlController.class, "ppo.kl-controller"));
            assertTrue(e.getMessage().contains("coefficient") && e.getMessage().contains("kl.conf:2"), e.getMessage());
        }
    }
}
