package org.rlhf4j.host.records;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.rlhf4j.api.Extensions;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.stage.StageContext;
import org.rlhf4j.api.stage.StageFailure;

/**
 * The records a training stage reads, by the same three keys everywhere:
 * <ul>
 *   <li>{@code input}: records an earlier stage wrote, by the run's path rule (e.g. {@code data/preferences.jsonl});</li>
 *   <li>{@code files}: record JSONL files to read instead of {@code input} (relative to the working directory);</li>
 *   <li>{@code sources}: DataSource entries read as well, as in {@code acquire.sources}
 *       ({@code [{ type = jsonl, path = "...", format = sharegpt }]}), for data in any known format.</li>
 * </ul>
 */
public final class StageInputs {

    private StageInputs() {
    }

    /** Streams every record that {@code settings} names to {@code sink}. */
    public static void read(StageContext ctx, Extensions extensions, Config settings, Consumer<Record> sink) {
        List<String> files = settings.getStringList("files");
        if (files.isEmpty()) {
            if (!settings.getString("input").isBlank() || settings.getConfigList("sources").isEmpty()) {
                RecordJsonl.read(ctx.input(settings.getString("input")), sink);
            }
        } else {
            for (String f : files) {
                Path p = Path.of(f);
                if (!Files.isRegularFile(p)) {
                    throw new StageFailure("stage " + ctx.stage() + ": input file " + p.toAbsolutePath() + " does not exist");
                }
                RecordJsonl.read(p, sink);
            }
        }
        readSources(extensions, settings, "sources", sink);
    }

    /**
     * Checks the DataSource entries at each of {@code keys} of {@code settings} (types known, sources creatable):
     * what a stage's constructor calls, so that a wrong entry fails in the prepare phase.
     */
    public static void check(Extensions extensions, Config settings, String... keys) {
        for (String key : keys) {
            SourceEntries.of(extensions, settings, key);
        }
    }

    /** Streams the records of the DataSource entries at {@code key} of {@code settings} ({@link SourceEntries}). */
    public static void readSources(Extensions extensions, Config settings, String key, Consumer<Record> sink) {
        SourceEntries.of(extensions, settings, key).read(sink);
    }
}
