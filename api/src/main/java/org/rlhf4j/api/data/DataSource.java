package org.rlhf4j.api.data;

import com.typesafe.config.Config;
import java.io.IOException;
import org.pf4j.ExtensionPoint;

/**
 * Reads records of one format (JSONL, CSV, a folder of text files, Parquet, WARC ...).
 *
 * <p>Lifecycle: created through Guice once per entry of a source list whose {@code type} names it (its
 * {@link org.rlhf4j.api.Settings} are the format's defaults): for {@code acquire.sources} when the acquire stage
 * is built, for the {@code sources} and {@code held-out} lists of other stages when they read their inputs.
 * {@link #open(Config)} is then called once, with that entry as {@code spec} ({@code path}, field mapping,
 * options), and the caller closes the stream; the source itself holds nothing and is not closed.
 * A malformed line is skipped and counted, or fails the stream, as the spec's {@code on-error} says;
 * either way the error names the file and line.
 *
 * @since 0.1.0
 */
public interface DataSource extends ExtensionPoint {

    /** Opens a stream over the input {@code spec} describes. An unreadable file fails here, named. */
    RecordStream open(Config spec) throws IOException;
}
