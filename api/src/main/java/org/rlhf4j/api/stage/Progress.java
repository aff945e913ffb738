package org.rlhf4j.api.stage;

/** A progress bar on the terminal (or periodic log lines when there is none). Not thread-safe. *
 * @since 0.1.0
 */
public interface Progress extends AutoCloseable {

    /** Advances by {@code n} units. */
    void step(long n);

    /** A short status shown beside the bar, e.g. {@code loss 2.31}. */
    void status(String text);

    @Override
    void close();
}
