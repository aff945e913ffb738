package org.rlhf4j.host.annotate.interchange;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.rlhf4j.api.annotate.AnnotationTask.Kind;
import org.rlhf4j.host.annotate.store.AnnotationStore;
import org.rlhf4j.host.annotate.store.TaskStore.Status;
import org.rlhf4j.host.annotate.store.TaskStore.StoredTask;
import org.rlhf4j.host.annotate.web.Blinding;

/**
 * The store's tasks as another tool's projects get them: one project per kind and number of answers
 * ({@code rank-3}, {@code compare-2}, {@code edit-1} ...), since a project's interface has a fixed set of
 * controls. A blind comparison is named by its alias and shows its answers in an order drawn with the store's
 * secret (one order per task for everyone in the tool, which cannot draw one per person); an import finds the
 * task and that order again.
 */
final class ExportedTasks {

    /** One task as exported: the id the tool knows it by and its answers in the order shown there. */
    record Item(StoredTask stored, String id, List<String> answers) {
        String prompt() {
            return stored.task().prompt();
        }
    }

    /** The tasks of one project. */
    record Project(String name, Kind kind, int answers, List<Item> items) {
    }

    private ExportedTasks() {
    }

    /** The latest version of every task with one of {@code statuses}, by project (in name order), for {@code tool}. */
    static List<Project> of(AnnotationStore store, List<Status> statuses, String tool) {
        Blinding blinding = new Blinding(store);
        Map<String, Project> out = new TreeMap<>();
        for (StoredTask s : store.tasks().all(statuses.toArray(Status[]::new))) {
            int k = s.task().answers().size();
            String name = s.task().kind().name().toLowerCase(Locale.ROOT) + "-" + k;
            List<String> shown = new ArrayList<>();
            for (int i : blinding.order(s, tool)) {
                shown.add(s.task().answers().get(i));
            }
            out.computeIfAbsent(name, n -> new Project(n, s.task().kind(), k, new ArrayList<>()))
                    .items().add(new Item(s, blinding.shownId(s.task()), shown));
        }
        return new ArrayList<>(out.values());
    }
}
