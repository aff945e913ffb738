package org.rlhf4j.host.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    /** A zip holding plugin.properties and a lib/plugin.jar with the given entries (bytes of a jar built in memory). */
    private static void pluginWithJar(Path file, String id, Map<String, String> jarEntries) throws IOException {
        java.io.ByteArrayOutputStream jar = new java.io.ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(jar)) {
            for (Map.Entry<String, String> e : jarEntries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("plugin.properties"));
            z.write(properties(id, ">=" + ApiVersion.current()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            z.closeEntry();
            z.putNextEntry(new ZipEntry("lib/plugin.jar"));
            z.write(jar.toByteArray());
            z.closeEntry();
        }
    }

    private static Map<String, PluginHost.PluginInfo> byArchive(PluginHost host) {
        Map<String, PluginHost.PluginInfo> m = new TreeMap<>();
        host.plugins().forEach(p -> m.put(p.archive().getFileName().toString(), p));
        return m;
    }

    @Test
    void aBundledHostLibraryOrACorruptJarIsNamedAndThePluginNeverStarts() throws IOException {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        pluginWithJar(plugins.resolve("bundles-config.zip"), "bundles-config",
                Map.of("com/acme/Stage.class", "x", "com/typesafe/config/Config.class", "x"));
        pluginWithJar(plugins.resolve("bundles-api.zip"), "bundles-api", Map.of("org/rlhf4j/api/ExtensionName.class", "x"));
        try (OutputStream out = Files.newOutputStream(plugins.resolve("corrupt-jar.zip")); ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("plugin.properties"));
            z.write(properties("corrupt-jar", ">=" + ApiVersion.current()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            z.putNextEntry(new ZipEntry("lib/plugin.jar"));
            z.write("not a jar at all".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        try (PluginHost host = PluginHost.load(plugins, Set.of())) {
            Map<String, PluginHost.PluginInfo> m = byArchive(host);
            assertEquals("FAILED", m.get("bundles-config.zip").state());
            assertTrue(m.get("bundles-config.zip").failure().startsWith("it bundles Typesafe Config (lib/plugin.jar holds "
                    + "com/typesafe/config/Config.class), which the host provides; mark that dependency <scope>provided</scope>"),
                    m.get("bundles-config.zip").failure());
            assertTrue(m.get("bundles-api.zip").failure().startsWith("it bundles the rlhf4j api"), m.toString());
            assertEquals("FAILED", m.get("corrupt-jar.zip").state());
            assertTrue(m.get("corrupt-jar.zip").failure().startsWith("lib/plugin.jar is not a readable jar"), m.toString());
            assertEquals(List.of(), host.manager().getStartedPlugins(), "none of them started");
        }
    }

    @Test
    void oneIdInTwoArchivesFailsBothNamingBothButOneArchiveInTwoFoldersLoadsOnce() throws IOException {
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        zip(a.resolve("acme-1.0.zip"), Map.of("plugin.properties", properties("acme", ">=" + ApiVersion.current())));
        zip(b.resolve("acme-1.1.zip"), Map.of("plugin.properties", properties("acme", ">=" + ApiVersion.current()) + "# rebuilt\n"));
        Files.copy(a.resolve("acme-1.0.zip"), b.resolve("acme-copy.zip"));
        try (PluginHost host = PluginHost.load(List.of(a, b), Set.of())) {
            Map<String, PluginHost.PluginInfo> m = byArchive(host);
            assertEquals("FAILED", m.get("acme-1.0.zip").state(), m.toString());
            assertEquals("FAILED", m.get("acme-1.1.zip").state(), m.toString());
            String why = m.get("acme-1.1.zip").failure();
            assertTrue(why.startsWith("plugin id 'acme' is in two archives, " + a.resolve("acme-1.0.zip").toAbsolutePath()), why);
            assertTrue(why.contains(b.resolve("acme-1.1.zip").toAbsolutePath().toString()), why);
            assertTrue(!m.containsKey("acme-copy.zip"), "the same archive again is not a second plugin: " + m);
        }
        Files.delete(b.resolve("acme-1.1.zip"));
        try (PluginHost host = PluginHost.load(List.of(a, b), Set.of())) {
            assertEquals(List.of("acme-1.0.zip"), List.copyOf(byArchive(host).keySet()), "the copy in b loads once, as a's");
            assertTrue(!byArchive(host).get("acme-1.0.zip").state().equals("FAILED"), byArchive(host).toString());
        }
    }

    @Test
    void unpackedCopiesOfArchivesNoLongerThereAreRemoved() throws IOException {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        zip(plugins.resolve("old.zip"), Map.of("plugin.properties", properties("old", ">=" + ApiVersion.current())));
        zip(plugins.resolve("kept.zip"), Map.of("plugin.properties", properties("kept", ">=" + ApiVersion.current())));
        try (PluginHost host = PluginHost.load(plugins, Set.of())) {
            assertEquals(2, host.plugins().size());
        }
        Files.delete(plugins.resolve("old.zip"));
        try (PluginHost host = PluginHost.load(plugins, Set.of())) {
            try (var s = Files.list(plugins.resolve(".unpacked"))) {
                List<String> left = s.map(p -> p.getFileName().toString()).toList();
                assertEquals(1, left.size(), left.toString());
                assertTrue(left.get(0).startsWith("kept-"), left.toString());
            }
        }
    }

    @Test
    void aPluginWithNoExtensionIndexIsNotStarted() throws IOException {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        pluginWithJar(plugins.resolve("no-index.zip"), "no-index", Map.of("com/acme/Nothing.txt", "x"));
        try (PluginHost host = PluginHost.load(plugins, Set.of())) {
            ExtensionCatalog.scan(host);
            PluginHost.PluginInfo p = byArchive(host).get("no-index.zip");
            assertEquals("FAILED", p.state());
            assertTrue(p.failure().startsWith("it has no extensions: its jar has no META-INF/extensions.idx"), p.failure());
        }
    }
}
