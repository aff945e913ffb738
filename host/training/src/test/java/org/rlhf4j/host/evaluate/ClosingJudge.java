package org.rlhf4j.host.evaluate;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.pf4j.Extension;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.annotate.AnnotationTask;
import org.rlhf4j.api.annotate.Annotator;
import org.rlhf4j.api.annotate.Label;

/**
 * A judge that calls every comparison a tie and counts the instances created and closed, for the lifecycle
 * test; a call after {@link #close()} fails. Found like any built-in extension.
 */
@Extension
@ExtensionName("test-closing-judge")
public final class ClosingJudge implements Annotator {

    static final AtomicInteger CREATED = new AtomicInteger();
    static final AtomicInteger CLOSED = new AtomicInteger();

    private boolean closed;

    public ClosingJudge() {
        CREATED.incrementAndGet();
    }

    @Override
    public List<Label> annotate(List<AnnotationTask> tasks) {
        if (closed) {
            throw new IllegalStateException("judged after close");
        }
        List<Label> out = new ArrayList<>();
        for (AnnotationTask t : tasks) {
            out.add(new Label(t.id(), "test", List.of(1, 1), List.of(), List.of(), List.of(), null, "a tie", null));
        }
        return out;
    }

    @Override
    public void close() {
        closed = true;
        CLOSED.incrementAndGet();
    }
}
