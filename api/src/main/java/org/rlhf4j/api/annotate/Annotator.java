package org.rlhf4j.api.annotate;

import java.util.List;
import org.pf4j.ExtensionPoint;

/**
 * Labels tasks: people through the web app, an LLM judge over HTTP, another service, a trained reward
 * model, or rules.
 *
 * <p>Lifecycle: created once per annotate or evaluate stage through Guice; {@link #annotate(List)} is
 * called with batches of tasks. An annotator that cannot answer now (people) returns the labels it has
 * and the stage waits or resumes later. It never invents a label: a failed or malformed reply is an
 * exception naming the task, not a default answer.
 */
public interface Annotator extends ExtensionPoint {

    /** Labels what it can of {@code tasks}; at most one label per task and annotator identity. */
    List<Label> annotate(List<AnnotationTask> tasks) throws Exception;
}
