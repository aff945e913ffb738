package org.rlhf4j.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds the acme-rlhf test fixture without Maven: javac against the distribution's rlhf4j-api jar and the
 * libraries the api itself depends on (never the host), PF4J's annotation processor writing
 * META-INF/extensions.idx, then a PF4J zip of plugin.properties and lib/plugin.jar. The tests rebuild it with
 * other descriptors (an api range the host refuses, a rebuilt archive); the Maven-built example authors copy is
 * examples/plugin-template, which ExamplePluginIT runs.
 */
final class PluginBuilder {

    /** The api jar and its own dependencies, as a plugin author's `provided` classpath has them. */
    private static final List<String> API_CLASSPATH = List.of("rlhf4j-api-", "pf4j-", "config-",
            "jakarta.inject-api-", "api-0.", "slf4j-api-", "java-semver-");

    private PluginBuilder() {
    }

    /** Compiles {@code sourceTree} (src/main/java, src/main/resources) into {@code zip} with {@code pluginProperties} at its root. */
    static Path build(Path sourceTree, Path work, Path zip, String pluginProperties) throws IOException {
        Path classes = Files.createDirectories(work.resolve("classes"));
        List<String> sources;
        try (Stream<Path> s = Files.walk(sourceTree.resolve("src/main/java"))) {
            sources = s.filter(p -> p.toString().endsWith(".java")).map(Path::toString).toList();
        }
        String classpath = String.join(java.io.File.pathSeparator, apiClasspath());
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("--release", "17", "-d", classes.toString(),
                "-cp", classpath, "-processorpath", classpath));
        args.addAll(sources);
        int rc = javac.run(null, null, null, args.toArray(String[]::new));
        assertTrue(rc == 0, "javac failed for the third-party plugin");
        assertTrue(Files.exists(classes.resolve("META-INF/extensions.idx")), "PF4J's processor wrote no extensions.idx");

        Path jar = work.resolve("acme-rlhf.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            addTree(out, classes);
            addTree(out, sourceTree.resolve("src/main/resources"));
        }
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("plugin.properties"));
            out.write(pluginProperties.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.closeEntry();
            out.putNextEntry(new ZipEntry("lib/acme-rlhf.jar"));
            Files.copy(jar, out);
            out.closeEntry();
        }
        return zip;
    }

    /** The plugin.properties of the source tree (src/main/plugin, where docs/plugins.md puts it: the zip's root, not the jar). */
    static String properties(Path sourceTree) throws IOException {
        return Files.readString(sourceTree.resolve("src/main/plugin/plugin.properties"));
    }

    /** Where the test finds the plugin's sources. */
    static Path sourceTree() {
        Path p = Path.of("src/test/third-party-plugin").toAbsolutePath();
        assertTrue(Files.isDirectory(p), "missing " + p);
        return p;
    }

    private static List<String> apiClasspath() throws IOException {
        List<String> result = new ArrayList<>();
        try (Stream<Path> s = Files.list(Cli.dist().resolve("lib"))) {
            for (Path jar : s.sorted().toList()) {
                String name = jar.getFileName().toString();
                if (API_CLASSPATH.stream().anyMatch(name::startsWith)) {
                    result.add(jar.toString());
                }
            }
        }
        assertTrue(result.stream().anyMatch(j -> j.contains("rlhf4j-api-")), "no rlhf4j-api jar in the distribution");
        return result;
    }

    private static void addTree(JarOutputStream out, Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(root.relativize(p).toString().replace('\\', '/')));
                Files.copy(p, out); // leaves the jar stream open
                out.closeEntry();
            }
        }
    }
}
