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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.pf4j.DefaultPluginManager;
import org.pf4j.CompoundPluginDescriptorFinder;
import org.pf4j.ManifestPluginDescriptorFinder;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginDescriptorFinder;
import org.pf4j.PropertiesPluginDescriptorFinder;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.rlhf4j.api.ApiVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the plugin archives of some folders with PF4J, one at a time, so that a corrupt or incompatible
 * archive is recorded with its reason and the others still load.
 *
 * <p>Each {@code *.zip} and {@code *.jar} in a folder is a plugin (a directory too, unless it is hidden or the
 * unpacked copy of a zip beside it). Zips are unpacked by content into the folder's {@code .unpacked/}, which keeps
 * only the copies of the archives there now. The host announces {@link ApiVersion#current()} as PF4J's system
 * version; a plugin whose {@code plugin.requires} range excludes it is refused with both versions named. An archive
 * that bundles a library the host provides (the api, PF4J, Guice, Typesafe Config, DJL ...) is refused naming the
 * jar: its copy would break class identity. One plugin id in two different archives is refused in both, naming
 * both; the same archive in two folders loads once.
 */
public final class PluginHost implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PluginHost.class);
    private static final String UNPACKED = ".unpacked";

    /** What {@code rlhf plugins} shows of one archive. {@code failure} is null for a working plugin. */
    public record PluginInfo(String id, String version, String state, Path archive, String requires, String failure) {
    }

    /** How PF4J's default manager reads a descriptor: plugin.properties, else the jar's manifest. */
    private static final PluginDescriptorFinder DESCRIPTORS = new CompoundPluginDescriptorFinder()
            .add(new PropertiesPluginDescriptorFinder()).add(new ManifestPluginDescriptorFinder());

    private final DefaultPluginManager manager;
    private final List<Path> directories;
    private final Map<Path, PluginInfo> infos = new LinkedHashMap<>();
    /** The archive each loaded (or disabled) plugin id came from, and that archive's content hash. */
    private final Map<String, Path> archiveOfId = new LinkedHashMap<>();
    private final Map<Path, String> hashes = new HashMap<>();
    private final Set<Path> unpackedInUse = new HashSet<>();

    private PluginHost(List<Path> directories) {
        this.directories = directories;
        this.manager = new DefaultPluginManager(directories.toArray(Path[]::new));
        this.manager.setSystemVersion(ApiVersion.current());
    }

    /** Loads and starts every plugin in {@code directory} (which may be absent: then there are none). */
    public static PluginHost load(Path directory, Set<String> disabledIds) {
        return load(List.of(directory), disabledIds);
    }

    /** Loads and starts every plugin in each of {@code directories}, in order (an absent one holds none). */
    public static PluginHost load(List<Path> directories, Set<String> disabledIds) {
        PluginHost host = new PluginHost(directories.stream().map(d -> d.toAbsolutePath().normalize()).distinct().toList());
        for (Path dir : host.directories) {
            for (Path archive : archives(dir)) {
                host.loadOne(archive, disabledIds);
            }
            host.removeStaleCopies(dir);
        }
        return host;
    }

    private static List<Path> archives(Path directory) {
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
        Path path;
        PluginDescriptor descriptor;
        try {
            path = unpacked(archive);
            descriptor = DESCRIPTORS.find(path);
        } catch (IOException e) {
            fail(archive, null, null, null, "cannot unpack it: " + e.getMessage());
            return;
        } catch (RuntimeException e) {
            fail(archive, null, null, null, "PF4J cannot read its descriptor: " + rootMessage(e));
            return;
        }
        String bundled = ArchiveLibraries.check(path);
        if (bundled != null) {
            fail(archive, descriptor.getPluginId(), descriptor.getVersion(), descriptor.getRequires(), bundled);
            return;
        }
        if (duplicate(archive, descriptor)) {
            return;
        }
        String id;
        try {
            id = manager.loadPlugin(path);
        } catch (RuntimeException | LinkageError e) {
            fail(archive, null, null, null, "PF4J cannot load it: " + rootMessage(e));
            return;
        }
        archiveOfId.put(id, archive);
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
     * Whether {@code archive}'s plugin id was seen before: the same content again (another folder) is skipped;
     * different archives with one id are both refused, naming both.
     */
    private boolean duplicate(Path archive, PluginDescriptor descriptor) {
        String id = descriptor.getPluginId();
        Path first = archiveOfId.get(id);
        if (first == null) {
            return false;
        }
        if (hashes.get(first) != null && hashes.get(first).equals(hashes.get(archive))) {
            log.debug("plugin {}: {} is the same archive as {}; loaded once", id, archive, first);
            return true;
        }
        PluginInfo earlier = infos.get(first);
        String reason = "plugin id '" + id + "' is in two archives, " + first + " (" + earlier.version() + ") and " + archive
                + " (" + descriptor.getVersion() + "); remove one";
        if (manager.getPlugin(id) != null) {
            manager.stopPlugin(id);
            manager.unloadPlugin(id);
        }
        fail(first, id, earlier.version(), earlier.requires(), reason);
        fail(archive, id, descriptor.getVersion(), descriptor.getRequires(), reason);
        return true;
    }

    /** Deletes the unpacked copies in {@code dir}'s {@code .unpacked/} of archives no longer there. */
    private void removeStaleCopies(Path dir) {
        Path unpacked = dir.resolve(UNPACKED);
        if (!Files.isDirectory(unpacked)) {
            return;
        }
        try (Stream<Path> s = Files.list(unpacked)) {
            for (Path copy : s.toList()) {
                if (!unpackedInUse.contains(copy) && !copy.getFileName().toString().startsWith(".tmp-")) {
                    org.rlhf4j.host.run.RunDirectory.deleteTree(copy);
                }
            }
        } catch (IOException e) {
            log.debug("cannot tidy {}: {}", unpacked, e.toString());
        }
    }

    /**
     * A zip's unpacked copy in {@code .unpacked/<name>-<content hash>/}, made once per content: a rebuilt archive
     * gets a fresh folder, and an older copy can never stand in for it (PF4J's own unpacking compares dates).
     */
    private Path unpacked(Path archive) throws IOException {
        String name = archive.getFileName().toString();
        if (Files.isDirectory(archive)) {
            return archive;
        }
        String hash;
        try (InputStream in = Files.newInputStream(archive)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            hash = HexFormat.of().formatHex(sha.digest(in.readAllBytes())).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        hashes.put(archive, hash);
        if (!name.endsWith(".zip")) {
            return archive;
        }
        Path target = archive.getParent().resolve(UNPACKED).resolve(name.substring(0, name.length() - 4) + "-" + hash);
        unpackedInUse.add(target);
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

    /** The folders the plugins were loaded from, in order. */
    public List<Path> directories() {
        return directories;
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
