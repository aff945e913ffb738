package org.rlhf4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rlhf plugins} on the distribution as built, and with broken archives beside the good ones. */
class PluginsIT {

    private static final List<String> SHIPPED = List.of("deepspeed-style", "trlx-style", "colossal-style", "beaver-safe", "openrlhf-style");

    @Test
    void listsTheShippedPluginsStarted(@TempDir Path work) throws Exception {
        Cli.Result r = Cli.run(work, "plugins");
        assertEquals(0, r.exitCode(), r.toString());
        for (String id : SHIPPED) {
            assertTrue(r.out().lines().anyMatch(l -> l.contains(id) && l.contains("STARTED")), id + " not started:\n" + r);
        }
        assertTrue(r.out().contains("KlController") && r.out().contains("fixed"), r.toString());
    }

    @Test
    void aCorruptArchiveIsNamedAndTheOthersStillLoad(@TempDir Path work) throws Exception {
        Path plugins = copyDistPlugins(work);
        Files.writeString(plugins.resolve("broken-plugin.zip"), "this is not a zip archive");
        Path noDescriptor = plugins.resolve("empty-plugin.zip");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(noDescriptor))) {
            out.putNextEntry(new java.util.zip.ZipEntry("lib/nothing.txt"));
            out.write(1);
            out.closeEntry();
        }
        Cli.Result r = Cli.run(work, "--plugins", plugins.toString(), "plugins");
        assertEquals(4, r.exitCode(), "a failed plugin gives the plugin-error code\n" + r);
        assertTrue(r.out().contains("broken-plugin.zip") && r.out().contains("not a readable zip archive"), r.toString());
        assertTrue(r.out().contains("empty-plugin.zip") && r.out().contains("no plugin.properties"), r.toString());
        for (String id : SHIPPED) {
            assertTrue(r.out().lines().anyMatch(l -> l.contains(id) && l.contains("STARTED")), id + " not started:\n" + r);
        }
    }

    @Test
    void aPluginNeedingANewerApiIsRefusedWithBothVersions(@TempDir Path work) throws Exception {
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        String props = PluginBuilder.properties(PluginBuilder.sourceTree())
                .replace("plugin.requires=>=0.2.0 & <0.3.0", "plugin.requires=>=9.0.0");
        PluginBuilder.build(PluginBuilder.sourceTree(), Files.createDirectories(work.resolve("build")),
                plugins.resolve("acme-rlhf-1.0.0.zip"), props);
        Cli.Result r = Cli.run(work, "--plugins", plugins.toString(), "plugins");
        assertEquals(4, r.exitCode(), r.toString());
        assertTrue(r.out().contains("acme-rlhf") && r.out().contains("FAILED"), r.toString());
        assertTrue(r.out().contains("requires rlhf4j api >=9.0.0 but this host provides api 0.2.4"), r.toString());
        assertTrue(r.out().lines().noneMatch(l -> l.contains("acme.hello")), "a refused plugin's extensions are not listed\n" + r);
    }

    @Test
    void aRebuiltArchiveReplacesItsUnpackedCopyWhateverItsDate(@TempDir Path work) throws Exception {
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        Path zip = plugins.resolve("acme-rlhf-1.0.0.zip");
        String good = PluginBuilder.properties(PluginBuilder.sourceTree());
        PluginBuilder.build(PluginBuilder.sourceTree(), Files.createDirectories(work.resolve("b1")), zip,
                good.replace("plugin.requires=>=0.2.0 & <0.3.0", "plugin.requires=>=9.0.0"));
        Cli.Result first = Cli.run(work, "--plugins", plugins.toString(), "plugins");
        assertTrue(first.out().contains("FAILED"), first.toString());
        // Rebuilt under the same name, with a file date older than the first copy's unpacked folder.
        Files.delete(zip);
        PluginBuilder.build(PluginBuilder.sourceTree(), Files.createDirectories(work.resolve("b2")), zip, good);
        Files.setLastModifiedTime(zip, java.nio.file.attribute.FileTime.fromMillis(1_000_000_000_000L));
        Cli.Result second = Cli.run(work, "--plugins", plugins.toString(), "plugins");
        assertEquals(0, second.exitCode(), second.toString());
        assertTrue(second.out().lines().anyMatch(l -> l.contains("acme-rlhf") && l.contains("STARTED")), second.toString());
        assertTrue(second.out().contains("acme.hello"), "the rebuilt archive's extensions are listed\n" + second);
    }

    static Path copyDistPlugins(Path work) throws Exception {
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        try (Stream<Path> s = Files.list(Cli.dist().resolve("plugins"))) {
            for (Path zip : s.filter(p -> p.toString().endsWith(".zip")).toList()) {
                Files.copy(zip, plugins.resolve(zip.getFileName()));
            }
        }
        return plugins;
    }

    @Test
    void pluginsFromAFolderOfOneAddToTheDistributionsUnlessTheConfigLeavesThemOut(@TempDir Path work) throws Exception {
        Path mine = Files.createDirectories(work.resolve("mine"));
        Files.copy(ExamplePluginIT.templateZip(), mine.resolve(ExamplePluginIT.templateZip().getFileName()));
        Cli.Result both = Cli.run(work, "--plugins", mine.toString(), "plugins");
        assertEquals(0, both.exitCode(), both.toString());
        assertTrue(both.out().contains("example-rlhf") && both.out().contains("deepspeed-style"),
                "the distribution's plugins and the folder's\n" + both);
        Path conf = Files.writeString(work.resolve("only-mine.conf"), "plugins.builtin = false\n");
        Cli.Result only = Cli.run(work, "--plugins", mine.toString(), "plugins", "--config", conf.toString());
        assertTrue(only.out().contains("example-rlhf") && !only.out().contains("deepspeed-style"), only.toString());
        Cli.Result missing = Cli.run(work, "--plugins", work.resolve("nowhere").toString(), "plugins");
        assertEquals(4, missing.exitCode(), missing.toString());
        assertTrue(missing.err().contains("the plugins folder " + work.resolve("nowhere") + " (--plugins) does not exist"), missing.toString());
    }
}
