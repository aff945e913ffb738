package org.rlhf4j.host.annotate.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.rlhf4j.api.annotate.Label;

/**
 * Every label ever submitted, append-only. A submission carries an id chosen by its sender; sending the
 * same id again (a retry after a lost answer) stores nothing new, so each acknowledged label is stored
 * exactly once. A revised label is a new submission; readers take the latest one per task and annotator.
 */
public final class LabelStore {

    /** Where a label came from. */
    public enum Source {
        /** A person, through the web app or the API. */ WEB,
        /** An annotator extension (API judge, service, rules). */ MACHINE,
        /** Given before this run and imported with the task. */ IMPORT
    }

    /** One stored submission. */
    public record StoredLabel(long seq, String submissionId, int taskVersion, Source source, long createdAt, Label label) {
    }

    private final Database db;

    public LabelStore(Database db) {
        this.db = db;
    }

    /** What {@link #submit} did. */
    public enum Outcome {
        /** Stored. */ STORED,
        /** A submission with this id is stored already: nothing changed. */ DUPLICATE,
        /** The task has a newer version than the one labelled: nothing stored. */ STALE,
        /** The task is no longer open for labels (not queued or complete): nothing stored. */ CLOSED
    }

    /** The outcome of a person's submission, with the task's version and status when it was checked. */
    public record Submitted(Outcome outcome, int currentVersion, TaskStore.Status status) {
    }

    /**
     * Stores a person's label of version {@code taskVersion} in one transaction that checks the task is still
     * at that version and open (queued or complete), and marks a task that is not gold
     * {@link TaskStore.Status#COMPLETE} once {@code overlap} people have labelled it.
     */
    public Submitted submit(String submissionId, int taskVersion, Label label, int overlap, boolean gold) {
        return db.transaction(c -> {
            int current;
            try (PreparedStatement ps = c.prepareStatement("SELECT MAX(version) FROM tasks WHERE task_id = ?")) {
                ps.setString(1, label.taskId());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    current = rs.getInt(1);
                }
            }
            TaskStore.Status status = TaskStore.status(c, label.taskId()).orElse(TaskStore.Status.NEW);
            if (status != TaskStore.Status.QUEUED && status != TaskStore.Status.COMPLETE) {
                return new Submitted(Outcome.CLOSED, current, status);
            }
            if (current != taskVersion) {
                return new Submitted(Outcome.STALE, current, status);
            }
            if (!insert(c, submissionId, taskVersion, Source.WEB, label)) {
                return new Submitted(Outcome.DUPLICATE, current, status);
            }
            if (status == TaskStore.Status.QUEUED && !gold) {
                try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(DISTINCT annotator) FROM labels WHERE task_id = ?"
                        + " AND source = 'web'")) {
                    ps.setString(1, label.taskId());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getInt(1) >= overlap) {
                            TaskStore.event(c, label.taskId(), TaskStore.Status.COMPLETE, "annotate",
                                    "labelled by " + rs.getInt(1) + " people");
                            status = TaskStore.Status.COMPLETE;
                        }
                    }
                }
            }
            return new Submitted(Outcome.STORED, current, status);
        });
    }

    /** Stores a submission; false when one with the same submission id is already stored (nothing changes). */
    public boolean add(String submissionId, int taskVersion, Source source, Label label) {
        return db.transaction(c -> insert(c, submissionId, taskVersion, source, label));
    }

    private static boolean insert(java.sql.Connection c, String submissionId, int taskVersion, Source source, Label label)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO labels (submission_id, task_id, task_version,"
                + " annotator, source, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (submission_id) DO NOTHING")) {
            ps.setString(1, submissionId);
            ps.setString(2, label.taskId());
            ps.setInt(3, taskVersion);
            ps.setString(4, label.annotator());
            ps.setString(5, source.name().toLowerCase(java.util.Locale.ROOT));
            ps.setString(6, LabelCodec.body(label));
            ps.setLong(7, System.currentTimeMillis());
            return ps.executeUpdate() == 1;
        }
    }

    /** The submission stored under {@code submissionId}, if any. */
    public java.util.Optional<StoredLabel> find(String submissionId) {
        return query("SELECT * FROM labels WHERE submission_id = ?", submissionId).stream().findFirst();
    }

    /** Every submission, oldest first. */
    public List<StoredLabel> all() {
        return query("SELECT * FROM labels ORDER BY seq", null);
    }

    /** The submissions for one task, oldest first. */
    public List<StoredLabel> forTask(String taskId) {
        return query("SELECT * FROM labels WHERE task_id = ? ORDER BY seq", taskId);
    }

    /** One annotator's own submissions, oldest first. */
    public List<StoredLabel> byAnnotator(String annotator) {
        return query("SELECT * FROM labels WHERE annotator = ? ORDER BY seq", annotator);
    }

    /** The latest submission per task and annotator, oldest first: the labels that count. */
    public static List<StoredLabel> latest(List<StoredLabel> submissions) {
        java.util.Map<String, StoredLabel> last = new java.util.LinkedHashMap<>();
        for (StoredLabel s : submissions) {
            String key = s.label().taskId() + "\u0000" + s.label().annotator();
            last.remove(key);
            last.put(key, s);
        }
        return new ArrayList<>(last.values());
    }

    private List<StoredLabel> query(String sql, String param) {
        return db.transaction(c -> {
            List<StoredLabel> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                if (param != null) {
                    ps.setString(1, param);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(read(rs));
                    }
                }
            }
            return out;
        });
    }

    private static StoredLabel read(ResultSet rs) throws SQLException {
        Label label = LabelCodec.label(rs.getString("task_id"), rs.getString("annotator"), rs.getString("body"));
        return new StoredLabel(rs.getLong("seq"), rs.getString("submission_id"), rs.getInt("task_version"),
                Source.valueOf(rs.getString("source").toUpperCase(java.util.Locale.ROOT)), rs.getLong("created_at"), label);
    }
}
