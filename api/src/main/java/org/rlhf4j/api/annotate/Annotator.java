package org.rlhf4j.api.annotate;

import java.util.List;
import org.pf4j.ExtensionPoint;

/**
 * Labels tasks: people through the web app, an LLM judge over HTTP, another service, a trained reward
 * model, or rules.
 *
 * <p>Lifecycle: created through Guice when an annotate or evaluate stage is built, before any stage runs: one
 * instance per entry of the list that names it ({@code annotate.annotators},
 * {@code annotate.screening.safety-annotators}, {@code annotate.pre-ranker}, {@code evaluate.judges.annotators}).
 * {@link #annotate(List)} is called with batches of tasks while that stage runs; the stage closes it when its run
 * ends, whether it returns or throws. A stage that does not run never closes it, so acquire what needs closing on
 * first use. An annotator that cannot answer now (people) returns the labels it has and the stage waits or
 * resumes later. It never invents a label: a failed or malformed reply is an exception naming the task, not a
 * default answer.
 *
 * @since 0.1.0
 */
public interface Annotator extends ExtensionPoint, AutoCloseable {

    /** Labels what it can of {@code tasks}; at most one label per task and annotator identity. */
    List<Label> annotate(List<AnnotationTask> tasks) throws Exception;

    /** Frees what the annotator acquired; nothing by default. Called once, by the stage that created it. */
    @Override
    default void close() {
    }
}
