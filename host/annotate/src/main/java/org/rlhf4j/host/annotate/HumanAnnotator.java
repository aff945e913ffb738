package org.rlhf4j.host.annotate;

import org.rlhf4j.host.annotate.settings.AnnotateSettings;
import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pf4j.Extension;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.RunContext;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.annotate.AnnotationTask;
import org.rlhf4j.api.annotate.Annotator;
import org.rlhf4j.api.annotate.Label;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.annotate.store.AnnotationStore;
import org.rlhf4j.host.annotate.store.LabelStore;
import org.rlhf4j.host.annotate.store.TaskStore;
import org.rlhf4j.host.annotate.web.AnnotationServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * People, through the web app: queues the tasks it is given in the annotation store and collects what
 * people submit. It waits ({@code human.wait}) until every task has {@code annotate.overlap} people's
 * labels, serving the web app itself meanwhile unless the port is taken (a separate
 * {@code rlhf annotate serve} then serves the same store); when the wait runs out it stops with a message,
 * and {@code rlhf run --resume} later picks up the labels given in between. Labels stay in the store, so
 * the stage does not store them again.
 */
@Extension
@ExtensionName("human")
public final class HumanAnnotator implements Annotator {

    private static final Logger log = LoggerFactory.getLogger(HumanAnnotator.class);

    private final Duration wait;
    private final Duration poll;
    private final boolean serve;
    private final AnnotateSettings annotate;
    private final RunContext run;

    @Inject
    public HumanAnnotator(@Settings Config settings, Config config, RunContext run) {
        this.wait = settings.getDuration("wait");
        this.poll = settings.getDuration("poll");
        if (wait.isNegative() || poll.isZero() || poll.isNegative()) {
            throw new ConfigProblem(settings, "poll", "wait must be 0s or more and poll more than 0s");
        }
        this.serve = settings.getBoolean("serve-while-waiting");
        this.annotate = AnnotateSettings.from(config.getConfig("annotate"));
        this.run = run;
    }

    @Override
    public List<Label> annotate(List<AnnotationTask> tasks) throws Exception {
        try (AnnotationStore store = AnnotationStore.open(annotate.jdbcUrl(run.directory()))) {
            for (AnnotationTask t : tasks) {
                if (store.tasks().status(t.id()).orElse(null) == TaskStore.Status.NEW) {
                    store.tasks().setStatus(t.id(), TaskStore.Status.QUEUED, "human", "queued for people");
                }
            }
            List<String> pending = pending(store, tasks);
            if (pending.isEmpty()) {
                return people(store, tasks);
            }
            long deadline = System.nanoTime() + wait.toNanos();
            AnnotationServer server = wait.isZero() || !serve ? null : tryServe(store);
            try {
                while (!pending.isEmpty() && System.nanoTime() < deadline) {
                    log.info("human: {} of {} task(s) still wait for labels{}", pending.size(), tasks.size(),
                            server == null ? "" : " at " + server.url());
                    Thread.sleep(Math.min(poll.toMillis(), Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
                    pending = pending(store, tasks);
                }
            } finally {
                if (server != null) {
                    server.close();
                }
            }
            if (!pending.isEmpty()) {
                throw new StageFailure(pending.size() + " of " + tasks.size() + " task(s) still wait for people's labels (first: "
                        + pending.get(0) + "). Label them in the web app (`rlhf annotate serve CONFIG`, accounts from"
                        + " `rlhf annotate account CONFIG NAME`), then continue with `rlhf run CONFIG --resume`;"
                        + " human.wait sets how long a run waits");
            }
            return people(store, tasks);
        }
    }

    private AnnotationServer tryServe(AnnotationStore store) {
        try {
            return AnnotationServer.start(store, annotate, annotate.host(), annotate.port());
        } catch (IOException e) {
            log.info("human: not serving the web app from this run ({}): waiting for labels from another server", e.getMessage());
            return null;
        }
    }

    /** Tasks that have fewer people's labels than the overlap asks for. */
    private List<String> pending(AnnotationStore store, List<AnnotationTask> tasks) {
        Map<String, TaskStore.Status> status = store.tasks().statuses();
        Map<String, Set<String>> labelled = new java.util.HashMap<>();
        for (LabelStore.StoredLabel s : store.labels().all()) {
            if (s.source() == LabelStore.Source.WEB) {
                labelled.computeIfAbsent(s.label().taskId(), k -> new HashSet<>()).add(s.label().annotator());
            }
        }
        List<String> out = new ArrayList<>();
        for (AnnotationTask t : tasks) {
            boolean open = status.get(t.id()) == TaskStore.Status.QUEUED;
            if (open && labelled.getOrDefault(t.id(), Set.of()).size() < annotate.overlap()) {
                out.add(t.id());
            }
        }
        return out;
    }

    private static List<Label> people(AnnotationStore store, List<AnnotationTask> tasks) {
        Set<String> ids = new HashSet<>();
        tasks.forEach(t -> ids.add(t.id()));
        List<Label> out = new ArrayList<>();
        for (LabelStore.StoredLabel s : LabelStore.latest(store.labels().all())) {
            if (s.source() == LabelStore.Source.WEB && ids.contains(s.label().taskId())) {
                out.add(s.label());
            }
        }
        return out;
    }
}
