package org.rlhf4j.host.plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The jars of a plugin, checked before PF4J loads them: each must be a readable jar, and none may hold a library
 * the host provides. PF4J's plugin class loader looks in the plugin first, so a bundled copy of the api or of
 * Typesafe Config gives the plugin classes of its own that the host's are not: "has no @ExtensionName" (the
 * annotation type differs), or a Guice error pages long. The fix is always the same: the dependency's scope is
 * {@code provided}.
 */
final class ArchiveLibraries {

    /** Package prefixes (as class-file paths) of what the host provides, with the library's name. */
    private static final Map<String, String> PROVIDED = providedLibraries();

    private static Map<String, String> providedLibraries() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("org/rlhf4j/api/", "the rlhf4j api");
        m.put("org/pf4j/", "PF4J");
        m.put("com/google/inject/", "Guice");
        m.put("jakarta/inject/", "jakarta.inject");
        m.put("com/typesafe/config/", "Typesafe Config");
        m.put("ai/djl/", "DJL");
        m.put("org/slf4j/", "SLF4J");
        return m;
    }

    private ArchiveLibraries() {
    }

    /** Why the plugin at {@code path} (an unpacked zip, a jar or a folder) cannot load, or null when its jars are fine. */
    static String check(Path path) {
        List<Path> jars = new ArrayList<>();
        if (Files.isDirectory(path)) {
            Path lib = path.resolve("lib");
            if (Files.isDirectory(lib)) {
                try (Stream<Path> s = Files.list(lib)) {
                    s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().forEach(jars::add);
                } catch (IOException e) {
                    return "cannot list its lib/ folder: " + e.getMessage();
                }
            }
        } else if (path.getFileName().toString().endsWith(".jar")) {
            jars.add(path);
        }
        for (Path jar : jars) {
            String problem = checkJar(jar, path);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static String checkJar(Path jar, Path plugin) {
        String shown = plugin.equals(jar) ? jar.getFileName().toString() : plugin.relativize(jar).toString();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry e : Collections.list(zip.entries())) {
                String name = e.getName();
                if (!name.endsWith(".class")) {
                    continue;
                }
                for (Map.Entry<String, String> p : PROVIDED.entrySet()) {
                    if (name.startsWith(p.getKey())) {
                        return "it bundles " + p.getValue() + " (" + shown + " holds " + name
                                + "), which the host provides; mark that dependency <scope>provided</scope> so the archive"
                                + " leaves it out";
                    }
                }
            }
            return null;
        } catch (IOException e) {
            return shown + " is not a readable jar (" + e.getMessage() + ")";
        }
    }
}
