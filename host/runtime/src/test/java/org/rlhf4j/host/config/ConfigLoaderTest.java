package org.rlhf4j.host.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.api.ConfigProblem;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    @Test
    void layersOverrideInOrderAndKeepOrigins() throws Exception {
        Path file = dir.resolve("run.conf");
        Files.writeString(file, "run {\n  name = layered\n  seed = 1\n}\n");
        Config c = ConfigLoader.of(file, List.of("run.seed=5", "run.stages=[a, b]")).resolve();
        assertEquals("layered", c.getString("run.name"));
        assertEquals(5, c.getInt("run.seed"), "--set beats the run file");
        assertEquals(List.of("a", "b"), c.getStringList("run.stages"), "--set values are HOCON");
        assertEquals("auto", c.getString("run.device"), "the host's reference.conf fills the rest");
        assertEquals("--set run.seed=5", ConfigProblem.where(c.getValue("run.seed").origin()));
        assertEquals("run.conf:2", ConfigProblem.where(c.getValue("run.name").origin()).replaceFirst(".*/", ""));
    }

    @Test
    void setTakesAPathWithAColonAsAString() {
        Config c = ConfigLoader.of(null, List.of("plugins.dir=/tmp/a:b")).resolve();
        assertEquals("/tmp/a:b", c.getString("plugins.dir"));
    }

    @Test
    void malformedSetIsRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.of(null, List.of("no-equals-sign")));
        assertTrue(e.getMessage().contains("key=value"), e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.of(dir.resolve("absent.conf"), List.of()));
        assertTrue(e.getMessage().contains("absent.conf does not exist"), e.getMessage());
    }

    @Test
    void runSettingsValidateNameAndStages() {
        Config dup = ConfigLoader.of(null, List.of("run.stages=[a, a]")).resolve();
        ConfigProblem e = assertThrows(ConfigProblem.class, () -> RunSettings.from(dup));
        assertTrue(e.getMessage().startsWith("run.stages (--set run.stages=[a, a])"), e.getMessage());

        Config badName = ConfigLoader.of(null, List.of("run.name=\"a/b\"")).resolve();
        assertThrows(ConfigProblem.class, () -> RunSettings.from(badName));

        RunSettings ok = RunSettings.from(ConfigLoader.of(null, List.of("run.name=x")).resolve());
        assertEquals(Path.of("runs", "x"), ok.output(), "run.output defaults to runs/<run.name>");
    }

    @Test
    void aBareFileNameKeepsItsRelativeIncludes() throws Exception {
        // "cd configs/smoke && rlhf run deepspeed.conf": a path with no parent folder, in the working directory
        Path main = Path.of("bare-include-main.conf");
        Path included = Path.of("bare-include-part.conf");
        try {
            Files.writeString(main, "include \"bare-include-part.conf\"\nrun.seed = 3\n");
            Files.writeString(included, "run.name = from-the-include\n");
            Config c = ConfigLoader.of(main, List.of()).resolve();
            assertEquals("from-the-include", c.getString("run.name"));
        } finally {
            Files.deleteIfExists(main);
            Files.deleteIfExists(included);
        }
    }

    @Test
    void aMissingIncludeFailsNamingTheFileLookedFor() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("sub"));
        Path file = Files.writeString(sub.resolve("run.conf"), "include \"missing.conf\"\nrun.seed = 3\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.of(file, List.of()));
        assertTrue(e.getMessage().contains("include \"missing.conf\": no such file (looked for " + sub.resolve("missing.conf") + ")"),
                e.getMessage());
    }
}
