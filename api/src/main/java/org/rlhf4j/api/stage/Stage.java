package org.rlhf4j.api.stage;

import org.pf4j.ExtensionPoint;

/**
 * One step of the pipeline ({@code acquire}, {@code filter}, {@code pretrain}, {@code sft}, {@code ppo} ...),
 * listed by name in {@code run.stages}.
 *
 * <p>Lifecycle:
 * <ol>
 *   <li>Construction, through Guice, for every listed stage <em>before any stage runs</em>. A stage reads
 *       its {@link org.rlhf4j.api.Settings} into a record and selects the extensions it is configured with
 *       (through {@link org.rlhf4j.api.Extensions}) here, so a wrong type, a missing key or an unknown name
 *       fails the run up front. No heavy work, no files.</li>
 *   <li>{@link #run(StageContext)}, once, in the order of {@code run.stages}, skipped when the stage already
 *       finished in this run directory and the run resumes. The stage reads earlier outputs from
 *       {@link StageContext#input(String)} and writes its own only under {@link StageContext#staging()}.</li>
 *   <li>When {@code run} returns, the host moves everything in staging into the run directory and marks the
 *       stage finished. When it throws, or the process dies, staging stays: a resumed run calls {@code run}
 *       again with {@link StageContext#resuming()} true, and a long stage continues from its last checkpoint
 *       there. Finished stages' outputs are never touched.</li>
 * </ol>
 *
 * @since 0.1.0
 */
public interface Stage extends ExtensionPoint {

    /** Does the stage's work. Throw {@link StageFailure} for a failure the user can act on. */
    void run(StageContext context) throws Exception;
}
