package org.rlhf4j.host.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A selected extension's system-defaults lie between the run file and the reference.conf files. */
class SystemDefaultsTest {

    private static final String PLUGIN_REFERENCE = """
            acme {
              fast {
                knob = 1
                system-defaults {
                  run.seed = 42
                  run.device = cpu
                  acme.fast.knob = 3
                }
              }
              slow {
                system-defaults.run.seed = 7
              }
              broken {
                system-defaults.run.sede = 1
              }
            }
            """;

    @TempDir
    Path dir;

    private Config load(String runFile) throws Exception {
        Path plugin = Files.createDirectories(dir.resolve("plugin"));
        Files.writeString(plugin.resolve("reference.conf"), PLUGIN_REFERENCE);
        Path file = dir.resolve("run.conf");
        Files.writeString(file, runFile);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {plugin.toUri().toURL()}, null)) {
            return ConfigLoader.of(file, List.of()).withPluginReference(loader).resolve();
        }
    }

    @Test
    void aSelectedExtensionBringsItsSystemsSettingsUnderTheRunFile() throws Exception {
        Config c = load("run { name = acme.fast, device = cuda }\n");
        assertEquals(42, c.getInt("run.seed"), "the system's default replaces the host's");
        assertEquals("cuda", c.getString("run.device"), "the run file beats the system's default");
        assertEquals(3, c.getInt("acme.fast.knob"), "the system's default replaces the plugin's own reference value");
        Config plain = load("run.name = plain\n");
        assertEquals(1, plain.getInt("acme.fast.knob"), "nothing is brought by an extension the run does not select");
    }

    @Test
    void twoSystemsThatDisagreeFailUnlessTheRunFileDecides() throws Exception {
        ConfigException e = assertThrows(ConfigException.class, () -> load("run { name = acme.fast, stages = [acme.slow] }\n"));
        assertTrue(e.getMessage().contains("acme.fast and acme.slow disagree on 'run.seed'"), e.getMessage());
        Config decided = load("run { name = acme.fast, stages = [acme.slow], seed = 9 }\n");
        assertEquals(9, decided.getInt("run.seed"));
    }

    @Test
    void aMisspelledKeyInASystemsDefaultsNamesTheExtension() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("run.name = acme.broken\n"));
        assertTrue(e.getMessage().contains("system-defaults of acme.broken sets 'run.sede'"), e.getMessage());
    }
}
