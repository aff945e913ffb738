package org.rlhf4j.host.testkit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rlhf4j.api.Extensions;
import org.rlhf4j.api.data.DataSource;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.data.RecordStream;
import org.rlhf4j.host.config.RunSettings;
import org.rlhf4j.host.plugin.ExtensionCatalog;
import org.rlhf4j.host.plugin.PluginHost;
import org.rlhf4j.host.wiring.HostModule;

/** What the data tests share: config over the host defaults, real extensions, and the shared reference data. */
public final class DataTestKit {

    private DataTestKit() {
    }

    /** {@code hocon} over the host's reference.conf, resolved. */
    public static Config config(String hocon) {
        return ConfigFactory.parseString(hocon).withFallback(ConfigFactory.parseResources("reference.conf")).resolve();
    }

    /** The settings block of an extension, with {@code hocon} overrides. */
    public static Config settings(String name, String hocon) {
        return config(hocon).getConfig(name);
    }

    /** The host's real extension factory (built-ins only: an empty plugins folder). */
    public static Extensions extensions(Config config) {
        try {
            Path empty = Files.createTempDirectory("no-plugins");
            PluginHost plugins = PluginHost.load(empty, Set.of());
            ExtensionCatalog catalog = ExtensionCatalog.scan(plugins);
            return HostModule.injector(config, RunSettings.from(config), (stage, step, values) -> { }, plugins, catalog)
                    .getInstance(Extensions.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads every record of one source entry. */
    public static List<Record> read(DataSource source, String specHocon) throws IOException {
        List<Record> out = new ArrayList<>();
        try (RecordStream s = source.open(ConfigFactory.parseString(specHocon))) {
            Record r;
            while ((r = s.next()) != null) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * A folder of the reference data in {@code ../shared/data} (system property {@code rlhf.shared.data}, or
     * found by walking up from the working directory); the calling test is skipped when it is absent.
     */
    public static Path sharedData(String sub) {
        String prop = System.getProperty("rlhf.shared.data");
        Path found = null;
        if (prop != null) {
            found = Path.of(prop);
        } else {
            for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolve("shared/data");
                if (Files.isDirectory(candidate)) {
                    found = candidate;
                    break;
                }
            }
        }
        Path p = found == null ? null : found.resolve(sub);
        assumeTrue(p != null && Files.exists(p), "skipped: reference data shared/data/" + sub
                + " not found (it lives beside the repository, not in it; set -Drlhf.shared.data=DIR)");
        return p;
    }

    public static Record doc(String id, String text) {
        return Record.document(id, text, Map.of(), null);
    }
}
