package org.rlhf4j.host.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.api.ApiVersion;

/** Each archive is loaded alone: a broken one is recorded as FAILED with its reason, and the others still load. */
class PluginHostTest {

    @TempDir
    Path dir;

    private static void zip(Path file, Map<String, String> entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
    }

    private static String properties(String id, String requires) {
        return "plugin.id=" + id + "\nplugin.version=1.0.0\nplugin.requires=" + requires + "\nplugin.provider=test\n";
    }

    @Test
    void brokenArchivesAreRecordedWithTheirReasonAndTheRestLoads() throws IOException {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Files.writeString(plugins.resolve("a-corrupt.zip"), "this is not a zip");
        zip(plugins.resolve("b-no-properties.zip"), Map.of("README.txt", "no plugin.properties here"));
        zip(plugins.resolve("c-too-new.zip"), Map.of("plugin.properties", properties("too-new", ">=9.0.0")));
        zip(plugins.resolve("d-fits.zip"), Map.of("plugin.properties", properties("fits", ">=" + ApiVersion.current())));
        zip(plugins.resolve("e-disabled.zip"), Map.of("plugin.properties", properties("off", ">=" + ApiVersion.current())));
        try (PluginHost host = PluginHost.load(plugins, Set.of("off"))) {
            Map<String, PluginHost.PluginInfo> byArchive = new TreeMap<>();
            host.plugins().forEach(p -> byArchive.put(p.archive().getFileName().toString(), p));
            assertEquals(5, byArchive.size(), byArchive.toString());
            assertEquals("FAILED", byArchive.get("a-corrupt.zip").state());
            assertTrue(byArchive.get("a-corrupt.zip").failure().startsWith("not a readable zip archive"), byArchive.toString());
            assertEquals("the archive has no plugin.properties at its root", byArchive.get("b-no-properties.zip").failure());
            assertTrue(byArchive.get("c-too-new.zip").failure().contains("requires rlhf4j api >=9.0.0 but this host provides api "
                    + ApiVersion.current()), byArchive.get("c-too-new.zip").failure());
            assertEquals("DISABLED", byArchive.get("e-disabled.zip").state());
            assertTrue(!byArchive.get("d-fits.zip").state().equals("FAILED"), byArchive.get("d-fits.zip").toString());
            assertEquals(3, host.failures().size(), host.failures().toString());
        }
    }
}
