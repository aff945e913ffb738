package org.rlhf4j.host.testkit;

import com.google.inject.Injector;
import com.typesafe.config.Config;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.pf4j.ExtensionPoint;
import org.rlhf4j.api.Extensions;
import org.rlhf4j.api.RunContext;
import org.rlhf4j.api.data.FilterDecision;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.data.RecordFilter;
import org.rlhf4j.api.stage.Stage;
import org.rlhf4j.host.cli.Session;
import org.rlhf4j.host.plugin.ExtensionCatalog;
import org.rlhf4j.host.plugin.PluginHost;
import org.rlhf4j.host.run.Pipeline;
import org.rlhf4j.host.run.RunDirectory;

/**
 * Loads one plugin archive into a real host, for a plugin's integration tests: the zip goes into a plugins folder,
 * and the host opens it as {@code rlhf run} does ({@link Session}: PF4J's {@link PluginHost}, the plugin's
 * reference.conf under the run file, the {@link ExtensionCatalog}'s naming checks, and the Guice wiring), so
 * whatever would refuse the plugin in production fails the test with the same reason.
 *
 * <pre>{@code
 * try (PluginHarness host = PluginHarness.load(Path.of(System.getProperty("plugin.zip")), tempDir,
 *         "example.banned-words.words = [casino]")) {
 *     List<FilterDecision> out = host.filter("example.banned-words", List.of(Records.document("casino night")));
 *     PluginHarness.StageRun run = host.runStage("example.sample");
 * }
 * }</pre>
 *
 * <p>Run it from an integration test (failsafe) after {@code package}, and keep your plugin's own classes off that
 * test's class path: a class the application class loader can see is taken for a built-in of the host. The
 * template's pom does this ({@code classesDirectory} of failsafe); {@link #load} checks it and says so.
 */
public final class PluginHarness implements AutoCloseable {

    /** What one {@link #runStage} left: the run directory (stage outputs published into it) and the metrics logged. */
    public record StageRun(Path directory, RecordingMetrics metrics) {
        /** {@code relative} under the run directory ({@code example/sample.jsonl}). */
        public Path file(String relative) {
            return directory.resolve(relative);
        }
    }

    private final Path work;
    private final Path plugins;
    private final Path runFile;
    private final Path archive;
    private final Session session;
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final Injector injector;
    private int runs;

    private PluginHarness(Path work, Path plugins, Path runFile, Path archive, Session session) {
        this.work = work;
        this.plugins = plugins;
        this.runFile = runFile;
        this.archive = archive;
        this.session = session;
        this.injector = session.injector(metrics);
    }

    /** Loads {@code zip} with no settings beyond the defaults. */
    public static PluginHarness load(Path zip, Path workDir) {
        return load(zip, workDir, "");
    }

    /**
     * Loads {@code zip} into a host working in {@code workDir} (a JUnit {@code @TempDir}), with {@code hocon} as the
     * run file (settings of your extensions, {@code run.seed} ...). Fails, naming the host's reason, when the host
     * would not start the plugin or drops it for its extensions (names, prefixes, api linkage).
     */
    public static PluginHarness load(Path zip, Path workDir, String hocon) {
        try {
            if (!Files.isRegularFile(zip)) {
                throw new IllegalArgumentException("no plugin archive at " + zip.toAbsolutePath()
                        + ": run the integration test after `package` (mvn verify), which builds it");
            }
            checkNotOnClassPath(zip);
            Path work = workDir.toAbsolutePath().normalize();
            Path plugins = Files.createDirectories(work.resolve("plugins"));
            Path archive = plugins.resolve(zip.getFileName());
            Files.copy(zip, archive, StandardCopyOption.REPLACE_EXISTING);
            Path runFile = Files.writeString(work.resolve("harness.conf"), hocon);
            Session session = Session.open(runFile, List.of("run.output=" + quote(work.resolve("runs/0"))), plugins);
            PluginHost.PluginInfo info = session.plugins.plugins().stream()
                    .filter(i -> i.archive().getFileName().equals(archive.getFileName())).findFirst().orElse(null);
            if (info == null || info.failure() != null) {
                session.close();
                throw new IllegalStateException("the host did not start " + zip.getFileName() + ": "
                        + (info == null ? "not found in the plugins folder" : info.failure()));
            }
            return new PluginHarness(work, plugins, runFile, archive, session);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The host's record of the loaded plugin: id, version, state ({@code STARTED}), archive, api range. */
    public PluginHost.PluginInfo plugin() {
        return session.plugins.plugins().stream().filter(i -> archive.equals(i.archive())).findFirst().orElseThrow();
    }

    /** The names of the plugin's extensions of {@code point} the host registered, sorted. */
    public List<String> extensionNames(Class<? extends ExtensionPoint> point) {
        String id = plugin().id();
        return session.catalog.all().stream().filter(e -> e.point() == point && id.equals(e.pluginId()))
                .map(ExtensionCatalog.Entry::name).toList();
    }

    /** The resolved config: the run file over the plugin's reference.conf over the host's. */
    public Config config() {
        return session.config;
    }

    /** What extensions created by this harness logged (through the injected {@link RunContext}'s metrics). */
    public RecordingMetrics metrics() {
        return metrics;
    }

    /** Creates extension {@code name} of {@code point} through the host's Guice wiring, with its settings block. */
    public <T extends ExtensionPoint> T create(Class<T> point, String name) {
        return injector.getInstance(Extensions.class).create(point, name);
    }

    /**
     * Runs {@link RecordFilter} {@code name} over {@code records} as the filter stage does on one thread: the index
     * pass first when the filter needs one, then {@code apply} on each record. One decision per record, in order.
     */
    public List<FilterDecision> filter(String name, List<Record> records) {
        RecordFilter filter = create(RecordFilter.class, name);
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(filter.getClass().getClassLoader());
        try {
            if (filter.needsIndex()) {
                records.forEach(filter::index);
                filter.indexDone();
            }
            List<FilterDecision> out = new ArrayList<>();
            for (Record r : records) {
                out.add(filter.apply(r));
            }
            return out;
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    /**
     * Runs {@link Stage} {@code name} alone, as {@code rlhf run} would with {@code run.stages = [name]}, in a fresh run
     * directory under the work folder; its outputs are published there when it returns. What the stage throws is
     * rethrown as it is (a {@link org.rlhf4j.api.stage.StageFailure} stays one).
     */
    public StageRun runStage(String name) throws Exception {
        Path out = work.resolve("runs/" + (++runs));
        RecordingMetrics stageMetrics = new RecordingMetrics();
        try (Session s = Session.open(runFile, List.of("run.output=" + quote(out), "run.stages=[" + quote(name) + "]"), plugins);
             RunDirectory dir = RunDirectory.open(s.runSettings().output())) {
            Injector inj = s.injector(stageMetrics);
            Pipeline pipeline = new Pipeline(List.of(name), inj.getInstance(Extensions.class), inj.getInstance(RunContext.class), dir);
            Map<String, Stage> prepared = pipeline.prepare();
            try {
                pipeline.run(prepared, false);
            } catch (Pipeline.StageException e) {
                if (e.getCause() instanceof Exception cause) {
                    throw cause;
                }
                throw (Error) e.getCause();
            }
        }
        return new StageRun(out, stageMetrics);
    }

    @Override
    public void close() {
        session.close();
    }

    private static String quote(Object value) {
        return "\"" + value.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /**
     * The classes the archive's extensions.idx lists must not also be visible to the host's class loader: PF4J would
     * index them as the host's own (and the catalog refuses a dotted built-in name), which is not how a user's host
     * sees a plugin.
     */
    private static void checkNotOnClassPath(Path zip) throws IOException {
        ClassLoader app = PluginHost.class.getClassLoader();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (ZipEntry e : java.util.Collections.list(z.entries())) {
                if (!e.getName().startsWith("lib/") || !e.getName().endsWith(".jar")) {
                    continue;
                }
                try (JarInputStream jar = new JarInputStream(z.getInputStream(e))) {
                    for (ZipEntry je = jar.getNextEntry(); je != null; je = jar.getNextEntry()) {
                        if (!je.getName().equals("META-INF/extensions.idx")) {
                            continue;
                        }
                        for (String line : lines(jar)) {
                            String cls = line.trim();
                            if (!cls.isEmpty() && !cls.startsWith("#")
                                    && app.getResource(cls.replace('.', '/') + ".class") != null) {
                                throw new IllegalStateException("the plugin's class " + cls + " is also on this test's class path,"
                                        + " so the host would take it for a built-in: load the plugin only through its zip"
                                        + " (in failsafe's configuration, point classesDirectory away from target/classes,"
                                        + " as examples/plugin-template/pom.xml does)");
                            }
                        }
                    }
                }
            }
        }
    }

    private static List<String> lines(InputStream in) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        List<String> out = new ArrayList<>();
        for (String l = r.readLine(); l != null; l = r.readLine()) {
            out.add(l);
        }
        return out;
    }
}
