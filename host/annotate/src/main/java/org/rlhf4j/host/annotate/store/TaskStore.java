package org.rlhf4j.host.annotate.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.rlhf4j.api.annotate.AnnotationTask;

/**
 * Tasks, their versions and status history, and who each task is assigned to. A task that changes gets a
 * new version; a status change is a new event; nothing is updated in place.
 */
public final class TaskStore {

    /** Where a task stands. Only {@code QUEUED} tasks reach annotators. */
    public enum Status {
        /** Stored, not yet screened. */ NEW,
        /** Flagged by screening: waits for an admin's decision, never shown to annotators. */ REVIEW,
        /** Waiting for labels in the web app. */ QUEUED,
        /** Removed by an admin. */ REJECTED,
        /** Came with its labels (imported): nobody needs to label it. */ LABELLED;

        String db() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The latest version of a task with what the store keeps beside it. */
    public record StoredTask(AnnotationTask task, int version, List<Integer> gold, double priority) {
        public boolean isGold() {
            return !gold.isEmpty();
        }
    }

    private static final String LATEST = "t.version = (SELECT MAX(v.version) FROM tasks v WHERE v.task_id = t.task_id)";
    private static final String CURRENT_STATUS =
            "(SELECT e.status FROM task_events e WHERE e.task_id = t.task_id ORDER BY e.seq DESC LIMIT 1)";

    private final Database db;

    public TaskStore(Database db) {
        this.db = db;
    }

    /**
     * Stores {@code task} as its first version, or as a new version when it differs from the latest one
     * (prompt, answers, meta or gold); an unchanged task stays as it is. Returns the version now current.
     */
    public int put(AnnotationTask task, List<Integer> gold, double priority) {
        return db.transaction(c -> {
            Optional<StoredTask> latest = latest(c, task.id());
            List<Integer> g = gold == null ? List.of() : List.copyOf(gold);
            if (latest.isPresent() && latest.get().task().equals(task) && latest.get().gold().equals(g)) {
                return latest.get().version();
            }
            int version = latest.map(s -> s.version() + 1).orElse(1);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO tasks (task_id, version, kind, prompt, answers, meta,"
                    + " gold, priority, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, task.id());
                ps.setInt(2, version);
                ps.setString(3, task.kind().name());
                ps.setString(4, task.prompt());
                ps.setString(5, LabelCodec.write(task.answers()));
                ps.setString(6, LabelCodec.write(new TreeMap<>(task.meta())));
                ps.setString(7, g.isEmpty() ? null : LabelCodec.write(g));
                ps.setDouble(8, priority);
                ps.setLong(9, System.currentTimeMillis());
                ps.executeUpdate();
            }
            if (latest.isEmpty()) {
                event(c, task.id(), Status.NEW, "store", "");
            }
            return version;
        });
    }

    /** Records a status change (nothing when the task already has that status). */
    public void setStatus(String taskId, Status status, String actor, String note) {
        db.transaction(c -> {
            if (status(c, taskId).orElse(null) != status) {
                event(c, taskId, status, actor, note == null ? "" : note);
            }
            return null;
        });
    }

    /** The current status of a task, empty when there is no such task. */
    public Optional<Status> status(String taskId) {
        return db.transaction(c -> status(c, taskId));
    }

    /** The latest version of a task. */
    public Optional<StoredTask> latest(String taskId) {
        return db.transaction(c -> latest(c, taskId));
    }

    /** The latest version of every task with one of {@code statuses} (all tasks when none given), in order of creation. */
    public List<StoredTask> all(Status... statuses) {
        return db.transaction(c -> {
            List<StoredTask> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT t.*, " + CURRENT_STATUS + " AS status FROM tasks t WHERE "
                    + LATEST + " ORDER BY t.created_at, t.task_id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String s = rs.getString("status");
                    if (statuses.length == 0 || List.of(statuses).stream().anyMatch(x -> x.db().equals(s))) {
                        out.add(read(rs));
                    }
                }
            }
            return out;
        });
    }

    /** The current status of every task, by task id. */
    public Map<String, Status> statuses() {
        return db.transaction(c -> {
            Map<String, Status> out = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT t.task_id, " + CURRENT_STATUS + " AS status FROM tasks t"
                    + " WHERE " + LATEST + " ORDER BY t.created_at, t.task_id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), Status.valueOf(rs.getString(2).toUpperCase(Locale.ROOT)));
                }
            }
            return out;
        });
    }

    /** The note of each task's current status event (why it is under review, who approved it ...). */
    public Map<String, String> notes() {
        return db.transaction(c -> {
            Map<String, String> out = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT e.task_id, e.note FROM task_events e WHERE e.seq ="
                    + " (SELECT MAX(x.seq) FROM task_events x WHERE x.task_id = e.task_id)");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
            return out;
        });
    }

    /**
     * The task {@code annotator} should work on next: one already assigned to them and not yet labelled by
     * them, else a queued task of {@code kind} (any kind when null) that has fewer than {@code overlap}
     * annotators (gold tasks go to everyone), lowest priority value first. Assigns it.
     */
    public Optional<StoredTask> next(String annotator, AnnotationTask.Kind kind, int overlap) {
        String kindFilter = kind == null ? "" : " AND t.kind = '" + kind.name() + "'";
        return db.transaction(c -> {
            String open = "SELECT t.* FROM tasks t JOIN assignments a ON a.task_id = t.task_id WHERE a.annotator = ? AND "
                    + LATEST + kindFilter + " AND " + CURRENT_STATUS + " = 'queued' AND NOT EXISTS (SELECT 1 FROM labels l"
                    + " WHERE l.task_id = t.task_id AND l.annotator = a.annotator) ORDER BY a.assigned_at, t.task_id LIMIT 1";
            Optional<StoredTask> mine = first(c, open, annotator);
            if (mine.isPresent()) {
                return mine;
            }
            String fresh = "SELECT t.* FROM tasks t WHERE " + LATEST + kindFilter + " AND " + CURRENT_STATUS + " = 'queued'"
                    + " AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.task_id = t.task_id AND a.annotator = ?)"
                    + " AND (t.gold IS NOT NULL OR (SELECT COUNT(*) FROM assignments a WHERE a.task_id = t.task_id) < "
                    + overlap + ") ORDER BY t.priority, t.created_at, t.task_id LIMIT 1";
            Optional<StoredTask> task = first(c, fresh, annotator);
            if (task.isPresent()) {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO assignments (task_id, annotator, assigned_at) VALUES (?, ?, ?)")) {
                    ps.setString(1, task.get().task().id());
                    ps.setString(2, annotator);
                    ps.setLong(3, System.currentTimeMillis());
                    ps.executeUpdate();
                }
            }
            return task;
        });
    }

    /** Assigns a task to an annotator directly (a prompt they started writing themselves). */
    public void assign(String taskId, String annotator) {
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO assignments (task_id, annotator, assigned_at)"
                    + " VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                ps.setString(1, taskId);
                ps.setString(2, annotator);
                ps.setLong(3, System.currentTimeMillis());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** True when the task was assigned to {@code annotator}. */
    public boolean isAssigned(String taskId, String annotator) {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM assignments WHERE task_id = ? AND annotator = ?")) {
                ps.setString(1, taskId);
                ps.setString(2, annotator);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** Every assignment: task id to the annotators it was given to, in order. */
    public Map<String, List<String>> assignments() {
        return db.transaction(c -> {
            Map<String, List<String>> out = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT task_id, annotator FROM assignments ORDER BY assigned_at");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
            return out;
        });
    }

    private static Optional<StoredTask> first(Connection c, String sql, String annotator) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, annotator);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    private static Optional<StoredTask> latest(Connection c, String taskId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM tasks t WHERE t.task_id = ? AND " + LATEST)) {
            ps.setString(1, taskId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    private static Optional<Status> status(Connection c, String taskId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT status FROM task_events WHERE task_id = ? ORDER BY seq DESC LIMIT 1")) {
            ps.setString(1, taskId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Status.valueOf(rs.getString(1).toUpperCase(Locale.ROOT))) : Optional.empty();
            }
        }
    }

    private static void event(Connection c, String taskId, Status status, String actor, String note) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO task_events (task_id, status, actor, note, created_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, taskId);
            ps.setString(2, status.db());
            ps.setString(3, actor);
            ps.setString(4, note);
            ps.setLong(5, System.currentTimeMillis());
            ps.executeUpdate();
        }
    }

    private static StoredTask read(ResultSet rs) throws SQLException {
        String gold = rs.getString("gold");
        AnnotationTask task = new AnnotationTask(rs.getString("task_id"), AnnotationTask.Kind.valueOf(rs.getString("kind")),
                rs.getString("prompt"), LabelCodec.strings(rs.getString("answers")), LabelCodec.stringMap(rs.getString("meta")));
        return new StoredTask(task, rs.getInt("version"),
                gold == null ? List.of() : LabelCodec.ints(LabelCodec.read(gold)), rs.getDouble("priority"));
    }
}
