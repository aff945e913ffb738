package org.rlhf4j.host.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.rlhf4j.api.ApiVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the plugin archives of one folder with PF4J, one at a time, so that a corrupt or incompatible
 * archive is recorded with its reason and the others still load.
 *
 * <p>Each {@code *.zip} and {@code *.jar} in the folder is a plugin (a directory too, unless it is hidden or the
 * unpacked copy of a zip beside it). Zips are unpacked by content into {@code .unpacked/}. The host announces {@link ApiVersion#current()} as PF4J's system
 * version; a plugin whose {@code plugin.requires} range excludes it is refused with both versions named.
 */
public final class PluginHost implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PluginHost.class);
    private static final String UNPACKED = ".unpacked";

    /** What {@code rlhf plugins} shows of one archive. {@code failure} is null for a working plugin. */
    public record PluginInfo(String id, String version, String state, Path archive, String requires, String failure) {
    }

    private final DefaultPluginManager manager;
    private final Path directory;
    private final Map<Path, PluginInfo> infos = new LinkedHashMap<>();

    private PluginHost(Path directory) {
        this.directory = directory;
        this.manager = new DefaultPluginManager(directory);
        this.manager.setSystemVersion(ApiVersion.current());
    }

    /** Loads and starts every plugin in {@code directory} (which may be absent: then there are none). */
    public static PluginHost load(Path directory, Set<String> disabledIds) {
        PluginHost host = new PluginHost(directory.toAbsolutePath().normalize());
        for (Path archive : host.archives()) {
            host.loadOne(archive, disabledIds);
        }
        return host;
    }

    private List<Path> archives() {
        if (!Files.isDirectory(directory)) {
            log.debug("plugins folder {} does not exist: no plugins", directory);
            return List.of();
        }
        try (Stream<Path> s = Files.list(directory)) {
            List<Path> all = s.sorted().toList();
            List<Path> result = new ArrayList<>();
            for (Path p : all) {
                String name = p.getFileName().toString();
                if (name.endsWith(".zip") || name.endsWith(".jar")) {
                    result.add(p);
                } else if (Files.isDirectory(p) && !name.startsWith(".") && !Files.exists(p.resolveSibling(name + ".zip"))) {
                    result.add(p);
                }
            }
            return result;
        } catch (IOException e) {
            throw new PluginLoadException("cannot list the plugins folder " + directory + ": " + e.getMessage());
        }
    }

    private void loadOne(Path archive, Set<String> disabledIds) {
        String problem = checkArchive(archive);
        if (problem != null) {
            fail(archive, null, null, null, problem);
            return;
        }
        String id;
        try {
            id = manager.loadPlugin(unpacked(archive));
        } catch (IOException e) {
            fail(archive, null, null, null, "cannot unpack it: " + e.getMessage());
            return;
        } catch (RuntimeException | LinkageError e) {
            fail(archive, null, null, null, "PF4J cannot load it: " + rootMessage(e));
            return;
        }
        PluginWrapper w = manager.getPlugin(id);
        String version = w.getDescriptor().getVersion();
        String requires = w.getDescriptor().getRequires();
        if (disabledIds.contains(id)) {
            manager.unloadPlugin(id);
            infos.put(archive, new PluginInfo(id, version, "DISABLED", archive, requires, null));
            return;
        }
        if (!manager.getVersionManager().checkVersionConstraint(ApiVersion.current(), requires)) {
            manager.unloadPlugin(id);
            fail(archive, id, version, requires, "it requires rlhf4j api " + requires
                    + " but this host provides api " + ApiVersion.current());
            return;
        }
        try {
            PluginState state = manager.startPlugin(id);
            if (state != PluginState.STARTED) {
                String cause = w.getFailedException() != null ? rootMessage(w.getFailedException()) : "state " + state;
                manager.unloadPlugin(id);
                fail(archive, id, version, requires, "it did not start: " + cause);
                return;
            }
        } catch (RuntimeException | LinkageError e) {
            manager.unloadPlugin(id);
            fail(archive, id, version, requires, "it did not start: " + rootMessage(e));
            return;
        }
        infos.put(archive, new PluginInfo(id, version, "STARTED", archive, requires, null));
    }

    /**
     * A zip's unpacked copy in {@code .unpacked/<name>-<content hash>/}, made once per content: a rebuilt archive
     * gets a fresh folder, and an older copy can never stand in for it (PF4J's own unpacking compares dates).
     */
    private Path unpacked(Path archive) throws IOException {
        String name = archive.getFileName().toString();
        if (!name.endsWith(".zip")) {
            return archive;
        }
        String hash;
        try (InputStream in = Files.newInputStream(archive)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            hash = HexFormat.of().formatHex(sha.digest(in.readAllBytes())).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Path target = directory.resolve(UNPACKED).resolve(name.substring(0, name.length() - 4) + "-" + hash);
        if (Files.isDirectory(target)) {
            return target;
        }
        Path tmp = Files.createTempDirectory(Files.createDirectories(target.getParent()), ".tmp-");
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                Path out = tmp.resolve(e.getName()).normalize();
                if (!out.startsWith(tmp)) {
                    throw new IOException("entry " + e.getName() + " points outside the archive");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    try (InputStream in = zip.getInputStream(e)) {
                        Files.copy(in, out);
                    }
                }
            }
        }
        try {
            Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException raced) {
            // another rlhf process unpacked the same content first: use theirs
        }
        return target;
    }

    /** A readable zip with plugin.properties at its root, or a jar/directory PF4J can describe. */
    private static String checkArchive(Path archive) {
        if (!archive.getFileName().toString().endsWith(".zip")) {
            return null;
        }
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            ZipEntry props = zip.getEntry("plugin.properties");
            if (props == null) {
                return "the archive has no plugin.properties at its root";
            }
            return null;
        } catch (IOException e) {
            return "not a readable zip archive (" + e.getMessage() + ")";
        }
    }

    private void fail(Path archive, String id, String version, String requires, String reason) {
        log.warn("plugin archive {} not loaded: {}", archive, reason);
        infos.put(archive, new PluginInfo(id, version, "FAILED", archive, requires, reason));
    }

    /** Marks a started plugin as failed (e.g. an extension class that does not link) and unloads it. */
    public void failStarted(String pluginId, String reason) {
        PluginWrapper w = manager.getPlugin(pluginId);
        if (w == null) {
            return;
        }
        Path archive = infos.entrySet().stream().filter(e -> pluginId.equals(e.getValue().id()))
                .map(Map.Entry::getKey).findFirst().orElse(w.getPluginPath());
        String version = w.getDescriptor().getVersion();
        String requires = w.getDescriptor().getRequires();
        manager.stopPlugin(pluginId);
        manager.unloadPlugin(pluginId);
        fail(archive, pluginId, version, requires, reason);
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    public DefaultPluginManager manager() {
        return manager;
    }

    public Path directory() {
        return directory;
    }

    /** Every archive seen, loaded or not, in folder order. */
    public Collection<PluginInfo> plugins() {
        return List.copyOf(infos.values());
    }

    /** The archives that failed to load, with why. */
    public List<PluginInfo> failures() {
        return infos.values().stream().filter(i -> i.failure() != null).toList();
    }

    /** Class loaders of the started plugins, for their reference.conf. */
    public List<ClassLoader> startedClassLoaders() {
        return manager.getStartedPlugins().stream().map(PluginWrapper::getPluginClassLoader).toList();
    }

    @Override
    public void close() {
        manager.stopPlugins();
    }
}
