package org.rlhf4j.host.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rlhf4j.api.Extensions;
import org.rlhf4j.api.RunContext;
import org.rlhf4j.api.stage.Stage;
import org.rlhf4j.api.stage.StageContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the stages of {@code run.stages} in order in one run directory.
 *
 * <p>Phases: (1) create every stage through Guice, so every config mistake fails before any work;
 * (2) run each stage not yet finished, publishing its staged outputs when it returns. A stage that
 * throws stops the run; what earlier stages published stays, and {@code --resume} goes on from there.
 */
public final class Pipeline {

    private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

    private final List<String> stageNames;
    private final Extensions extensions;
    private final RunContext run;
    private final RunDirectory directory;
    private final String configText;

    public Pipeline(List<String> stageNames, Extensions extensions, RunContext run, RunDirectory directory) {
        this(stageNames, extensions, run, directory, null);
    }

    /**
     * With {@code configText} (the run's config, secrets masked), kept beside each finished stage for
     * {@link ResumeCheck}.
     */
    public Pipeline(List<String> stageNames, Extensions extensions, RunContext run, RunDirectory directory, String configText) {
        this.stageNames = stageNames;
        this.extensions = extensions;
        this.run = run;
        this.directory = directory;
        this.configText = configText;
    }

    /** Phase 1: creates (and so validates) every stage. Throws the first config problem. */
    public Map<String, Stage> prepare() {
        Map<String, Stage> stages = new LinkedHashMap<>();
        List<Stage> created = extensions.selectAll(Stage.class, "run.stages");
        for (int i = 0; i < stageNames.size(); i++) {
            stages.put(stageNames.get(i), created.get(i));
        }
        return stages;
    }

    /** Phase 2: runs the stages, skipping finished ones when resuming. Returns the stages that ran. */
    public List<String> run(Map<String, Stage> stages, boolean resume) throws Exception {
        List<String> ran = new ArrayList<>();
        for (Map.Entry<String, Stage> e : stages.entrySet()) {
            String name = e.getKey();
            if (resume && directory.isFinished(name)) {
                log.info("stage {}: finished earlier, skipped", name);
                continue;
            }
            Path staging = directory.staging(name);
            boolean resuming = resume && Files.isDirectory(staging);
            if (!resuming) {
                RunDirectory.deleteTree(staging);
            }
            Files.createDirectories(staging);
            long start = System.nanoTime();
            log.info("stage {}: started{}", name, resuming ? " (resuming from its last checkpoint)" : "");
            StageContext ctx = new StagedContext(run, name, staging, resuming);
            ClassLoader previous = Thread.currentThread().getContextClassLoader();
            Thread.currentThread().setContextClassLoader(e.getValue().getClass().getClassLoader());
            try {
                e.getValue().run(ctx);
            } catch (Exception | Error ex) {
                throw new StageException(name, ex);
            } finally {
                Thread.currentThread().setContextClassLoader(previous);
            }
            if (configText != null) {
                directory.writeAtomically(directory.root().relativize(ResumeCheck.file(directory.root(), name)).toString(), configText);
            }
            directory.publish(name);
            double seconds = (System.nanoTime() - start) / 1e9;
            run.metrics().log(name, -1, Map.of("event", "stage-finished", "seconds", seconds));
            log.info("stage {}: finished in {}", name, String.format("%.1f s", seconds));
            ran.add(name);
        }
        return ran;
    }

    /** A stage threw; carries the stage's name. Its staging (and checkpoints) stay for --resume. */
    public static final class StageException extends Exception {
        private final String stage;

        StageException(String stage, Throwable cause) {
            super("stage " + stage + " failed", cause);
            this.stage = stage;
        }

        public String stage() {
            return stage;
        }
    }
}
