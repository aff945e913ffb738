package org.rlhf4j.host.data;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.Locale;
import org.rlhf4j.api.ConfigProblem;

/**
 * One entry of {@code acquire.sources}: {@code { type = jsonl, path = "...", name = "...", glob = "**",
 * on-error = skip, format = auto, fields { ... }, meta { ... } }}.
 *
 * @param name the source's name in provenance and ids (default: the file or folder name)
 * @param glob which files of a folder to read
 * @param format how a row maps onto a record ({@link RecordMapping.Format})
 * @param limit stop after this many records (0: no limit)
 */
public record SourceSpec(String type, String name, Path path, String glob, OnError onError,
                         RecordMapping mapping, long limit, Config spec) {

    /** What a malformed line or record does: skipped and counted, or the run fails. */
    public enum OnError { SKIP, FAIL }

    public static SourceSpec from(Config spec) {
        if (!spec.hasPath("path")) {
            throw new ConfigProblem(spec, "path", "a source needs a path (a file or a folder)");
        }
        Path path = Path.of(spec.getString("path"));
        String type = spec.hasPath("type") ? spec.getString("type") : "";
        String name = spec.hasPath("name") ? spec.getString("name") : InputFiles.baseName(path);
        String glob = spec.hasPath("glob") ? spec.getString("glob") : "**";
        OnError onError;
        String err = spec.hasPath("on-error") ? spec.getString("on-error") : "skip";
        try {
            onError = OnError.valueOf(err.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigProblem(spec, "on-error", "must be skip or fail, got '" + err + "'");
        }
        long limit = spec.hasPath("limit") ? spec.getLong("limit") : 0;
        return new SourceSpec(type, name, path, glob, onError, RecordMapping.from(spec), limit, spec);
    }

    /** A string option of the entry, or its default. */
    public String option(String key, String fallback) {
        return spec.hasPath(key) ? spec.getString(key) : fallback;
    }
}
