package org.rlhf4j.host.records;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.Extensions;
import org.rlhf4j.api.data.DataSource;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.data.RecordStream;
import org.rlhf4j.api.stage.StageFailure;

/**
 * The DataSource entries of one config key ({@code acquire.sources}, {@code ppo.sources}, {@code reward.held-out},
 * a classifier's {@code examples} ...): a list of blocks {@code { type = jsonl, path = "...", format = ... }}.
 *
 * <p>Built when its owner (a stage, a filter) is constructed, that is in the pipeline's prepare phase: every
 * entry must have a {@code type} that names a known DataSource, and each DataSource is created then, once, so
 * a misspelled type fails the run before any stage runs. An entry without a {@code name} is named
 * {@code <key>-<n>} ({@link #DEFAULT_NAMES}), or as its owner's {@link Completion} says; a source's name goes into
 * its records' ids. {@link #read} opens the entries in order when the owner runs.
 */
public final class SourceEntries {

    /** One entry: its 1-based position, its block (with a name) and its source. */
    public record Entry(int number, Config spec, DataSource source) {
        public String name() {
            return spec.getString("name");
        }
    }

    /** Fills in what an entry leaves out (its name, a default option), given its 0-based index. */
    @FunctionalInterface
    public interface Completion {
        Config complete(String key, int index, Config spec);
    }

    /** An unnamed entry is called {@code <key>-<n>}, n from 1. */
    public static final Completion DEFAULT_NAMES = (key, index, spec) -> spec.hasPath("name") ? spec
            : spec.withValue("name", ConfigValueFactory.fromAnyRef(key.replace('.', '-') + "-" + (index + 1)));

    private final String key;
    private final List<Entry> entries;

    private SourceEntries(String key, List<Entry> entries) {
        this.key = key;
        this.entries = entries;
    }

    /** The entries of the list at {@code key} of {@code settings}; fails naming the key for an entry without a known type. */
    public static SourceEntries of(Extensions extensions, Config settings, String key) {
        return of(extensions, settings, key, DEFAULT_NAMES);
    }

    /** {@link #of(Extensions, Config, String)}, each entry completed by {@code completion} (then default-named). */
    public static SourceEntries of(Extensions extensions, Config settings, String key, Completion completion) {
        List<? extends Config> specs = settings.getConfigList(key);
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            entries.add(entry(extensions, settings, key, i, specs.get(i), completion));
        }
        return new SourceEntries(key, List.copyOf(entries));
    }

    /** The single block at {@code key} of {@code settings} (e.g. {@code classify.coverage.source}), named by {@code completion}. */
    public static SourceEntries single(Extensions extensions, Config settings, String key, Completion completion) {
        return new SourceEntries(key, List.of(entry(extensions, settings, key, 0, settings.getConfig(key), completion)));
    }

    private static Entry entry(Extensions extensions, Config settings, String key, int index, Config spec, Completion completion) {
        if (!spec.hasPath("type")) {
            throw new ConfigProblem(settings, key, "entry " + (index + 1) + " has no type; known: " + extensions.names(DataSource.class));
        }
        spec = DEFAULT_NAMES.complete(key, index, completion.complete(key, index, spec));
        return new Entry(index + 1, spec, extensions.select(DataSource.class, spec, "type"));
    }

    public List<Entry> entries() {
        return entries;
    }

    /** Streams every record of every entry, in order, to {@code sink}; a read error names the key, entry and origin. */
    public void read(Consumer<Record> sink) {
        for (Entry e : entries) {
            try (RecordStream stream = e.source().open(e.spec())) {
                Record r;
                while ((r = stream.next()) != null) {
                    sink.accept(r);
                }
            } catch (IOException ex) {
                throw failure(e, ex);
            }
        }
    }

    /** The error for entry {@code e} that could not be read: its key, number, name and file:line. */
    public StageFailure failure(Entry e, IOException cause) {
        return new StageFailure(key + " entry " + e.number() + " '" + e.name() + "' (" + ConfigProblem.where(e.spec().origin()) + "): "
                + cause.getMessage(), cause);
    }
}
