package org.rlhf4j.host.data;

import org.rlhf4j.api.data.RecordStream;

/**
 * A {@link RecordStream} of a built-in source: it also tells how many malformed lines it skipped, and
 * where, so the acquire stage can report them.
 */
public interface SourceStream extends RecordStream {

    /** The malformed lines met so far. */
    MalformedInput malformed();
}
