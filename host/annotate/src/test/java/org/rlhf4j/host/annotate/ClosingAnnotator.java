package org.rlhf4j.host.annotate;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.pf4j.Extension;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.annotate.AnnotationTask;
import org.rlhf4j.api.annotate.Annotator;
import org.rlhf4j.api.annotate.Label;
import org.rlhf4j.api.annotate.PreRanker;

/**
 * An annotator with no opinion (no labels, equal scores) that counts the instances created and closed, for the
 * lifecycle test; a call after {@link #close()} fails. Found like any built-in extension.
 */
@Extension
@ExtensionName("test-closing-annotator")
public final class ClosingAnnotator implements Annotator, PreRanker {

    static final AtomicInteger CREATED = new AtomicInteger();
    static final AtomicInteger CLOSED = new AtomicInteger();

    private boolean closed;

    public ClosingAnnotator() {
        CREATED.incrementAndGet();
    }

    @Override
    public List<Label> annotate(List<AnnotationTask> tasks) {
        open();
        return List.of();
    }

    @Override
    public List<Double> scores(AnnotationTask task) {
        open();
        List<Double> out = new ArrayList<>();
        task.answers().forEach(a -> out.add(0.0));
        return out;
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException("used after close");
        }
    }

    @Override
    public void close() {
        closed = true;
        CLOSED.incrementAndGet();
    }
}
