package org.rlhf4j.api.data;

import java.io.Closeable;
import java.io.IOException;

/**
 * A pull stream of records from one source. Holds at most a few records in memory, so a corpus of
 * any size streams through. Not thread-safe; close it when done (also after an exception).
 *
 * @since 0.1.0
 */
public interface RecordStream extends Closeable {

    /** The next record, or {@code null} at the end. */
    Record next() throws IOException;
}
