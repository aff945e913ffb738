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
import org.rlhf4j.api.data.Message;

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
        /** Came with its labels (imported): nobody needs to label it. */ LABELLED,
        /**
         * Labelled by {@code annotate.overlap} people in the web app: given to nobody new; the people it was
         * given to can still revise their labels. Gold tasks never get here (they go to everyone).
         */
        COMPLETE;

        String db() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The latest version of a task with what the store keeps beside it. {@code conversation} is the prompt as
     * conversation turns (system prompt, earlier turns, the last user turn) when the task was read from a
     * conversation, else empty: {@code task.prompt()} is then the whole prompt.
     */
    public record StoredTask(AnnotationTask task, int version, List<Integer> gold, double priority, List<Message> conversation) {
        public StoredTask {
            conversation = List.copyOf(conversation);
        }

        public boolean isGold() {
            return !gold.isEmpty();
        }
    }

    private static final String LATEST = "t.version = (SELECT MAX(v.version) FROM tasks v WHERE v.task_id = t.task_id)";
    private static final String CURRENT_STATUS =
            "(SELECT e.status FROM task_events e WHERE e.task_id = t.task_id ORDER BY e.seq DESC LIMIT 1)";
    /** An assignment {@code a} that an admin has not released. */
    private static final String NOT_RELEASED =
            "NOT EXISTS (SELECT 1 FROM released_assignments r WHERE r.task_id = a.task_id AND r.annotator = a.annotator)";

    private final Database db;

    public TaskStore(Database db) {
        this.db = db;
    }

    /**
     * Stores {@code task} as its first version, or as a new version when it differs from the latest one
     * (prompt, answers, meta or gold); an unchanged task stays as it is. Returns the version now current.
     */
    public int put(AnnotationTask task, List<Integer> gold, double priority) {
        return put(task, gold, priority, List.of());
    }

    /**
     * {@link #put(AnnotationTask, List, double)} for a task whose prompt is a conversation: {@code conversation}
     * holds its turns (empty for a plain-text prompt); a changed conversation makes a new version too.
     */
    public int put(AnnotationTask task, List<Integer> gold, double priority, List<Message> conversation) {
        return db.transaction(c -> {
            Optional<StoredTask> latest = latest(c, task.id());
            List<Integer> g = gold == null ? List.of() : List.copyOf(gold);
            if (latest.isPresent() && latest.get().task().equals(task) && latest.get().gold().equals(g)
                    && latest.get().conversation().equals(conversation)) {
                return latest.get().version();
            }
            int version = latest.map(s -> s.version() + 1).orElse(1);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO tasks (task_id, version, kind, prompt, answers, meta,"
                    + " gold, priority, created_at, conversation) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, task.id());
                ps.setInt(2, version);
                ps.setString(3, task.kind().name());
                ps.setString(4, task.prompt());
                ps.setString(5, LabelCodec.write(task.answers()));
                ps.setString(6, LabelCodec.write(new TreeMap<>(task.meta())));
                ps.setString(7, g.isEmpty() ? null : LabelCodec.write(g));
                ps.setDouble(8, priority);
                ps.setLong(9, System.currentTimeMillis());
                ps.setString(10, conversation.isEmpty() ? null : LabelCodec.conversation(conversation));
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
     * annotators (gold tasks go to everyone; released assignments do not count, and their annotator is not
     * given the task again), lowest priority value first. Assigns it.
     */
    public Optional<StoredTask> next(String annotator, AnnotationTask.Kind kind, int overlap) {
        String kindFilter = kind == null ? "" : " AND t.kind = '" + kind.name() + "'";
        return db.transaction(c -> {
            String open = "SELECT t.* FROM tasks t JOIN assignments a ON a.task_id = t.task_id WHERE a.annotator = ? AND "
                    + NOT_RELEASED + " AND " + LATEST + kindFilter + " AND " + CURRENT_STATUS + " IN ('queued', 'complete')"
                    + " AND NOT EXISTS (SELECT 1 FROM labels l"
                    + " WHERE l.task_id = t.task_id AND l.annotator = a.annotator) ORDER BY a.assigned_at, t.task_id LIMIT 1";
            Optional<StoredTask> mine = first(c, open, annotator);
            if (mine.isPresent()) {
                return mine;
            }
            String fresh = "SELECT t.* FROM tasks t WHERE " + LATEST + kindFilter + " AND " + CURRENT_STATUS + " = 'queued'"
                    + " AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.task_id = t.task_id AND a.annotator = ?)"
                    + " AND (t.gold IS NOT NULL OR (SELECT COUNT(*) FROM assignments a WHERE a.task_id = t.task_id AND "
                    + NOT_RELEASED + ") < "
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

    /** True when the task is assigned to {@code annotator} (and the assignment was not released). */
    public boolean isAssigned(String taskId, String annotator) {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM assignments a WHERE a.task_id = ? AND a.annotator = ?"
                    + " AND " + NOT_RELEASED)) {
                ps.setString(1, taskId);
                ps.setString(2, annotator);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** Every assignment not released: task id to the annotators it was given to, in order. */
    public Map<String, List<String>> assignments() {
        return db.transaction(c -> {
            Map<String, List<String>> out = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT a.task_id, a.annotator FROM assignments a WHERE "
                    + NOT_RELEASED + " ORDER BY a.assigned_at");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
            return out;
        });
    }

    /** An assignment nobody has labelled yet. */
    public record OpenAssignment(String taskId, String annotator, long assignedAt) {
    }

    /** The assignments (not released) whose annotator has not labelled the task, oldest first: candidates to release. */
    public List<OpenAssignment> openAssignments() {
        return db.transaction(c -> {
            List<OpenAssignment> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT a.task_id, a.annotator, a.assigned_at FROM assignments a WHERE "
                    + NOT_RELEASED + " AND NOT EXISTS (SELECT 1 FROM labels l WHERE l.task_id = a.task_id AND l.annotator = a.annotator)"
                    + " ORDER BY a.assigned_at, a.task_id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new OpenAssignment(rs.getString(1), rs.getString(2), rs.getLong(3)));
                }
            }
            return out;
        });
    }

    /** What {@link #release} did. */
    public enum Release {
        /** Released: the task goes to someone else. */ RELEASED,
        /** There is no such assignment (or it was released already). */ NOT_ASSIGNED,
        /** The annotator labelled the task: nothing to release. */ LABELLED
    }

    /**
     * Releases an abandoned assignment: it no longer counts towards the overlap, so the task goes to someone
     * else, and its annotator is not given the task again.
     */
    public Release release(String taskId, String annotator, String actor, String note) {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT (SELECT COUNT(*) FROM labels l WHERE l.task_id = a.task_id"
                    + " AND l.annotator = a.annotator) FROM assignments a WHERE a.task_id = ? AND a.annotator = ? AND " + NOT_RELEASED)) {
                ps.setString(1, taskId);
                ps.setString(2, annotator);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Release.NOT_ASSIGNED;
                    }
                    if (rs.getInt(1) > 0) {
                        return Release.LABELLED;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO released_assignments (task_id, annotator, actor, note,"
                    + " released_at) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, taskId);
                ps.setString(2, annotator);
                ps.setString(3, actor);
                ps.setString(4, note == null ? "" : note);
                ps.setLong(5, System.currentTimeMillis());
                ps.executeUpdate();
            }
            return Release.RELEASED;
        });
    }

    /** One version of a task, as it was stored. */
    public Optional<StoredTask> version(String taskId, int version) {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM tasks t WHERE t.task_id = ? AND t.version = ?")) {
                ps.setString(1, taskId);
                ps.setInt(2, version);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.empty();
                }
            }
        });
    }

    /** Records that annotators know {@code taskId} as {@code alias} (nothing when it is recorded already). */
    public void alias(String alias, String taskId) {
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO task_aliases (alias, task_id) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
                ps.setString(1, alias);
                ps.setString(2, taskId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** The task known to annotators as {@code alias}. */
    public Optional<String> aliased(String alias) {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT task_id FROM task_aliases WHERE alias = ?")) {
                ps.setString(1, alias);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    /**
     * Marks every queued task that is not gold and has web labels from at least {@code overlap} people
     * {@link Status#COMPLETE} (stores from before that status existed); returns how many.
     */
    public int completeLabelled(int overlap) {
        return db.transaction(c -> {
            List<String> done = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT t.task_id FROM tasks t WHERE " + LATEST + " AND t.gold IS NULL AND "
                    + CURRENT_STATUS + " = 'queued' AND (SELECT COUNT(DISTINCT l.annotator) FROM labels l WHERE l.task_id = t.task_id"
                    + " AND l.source = 'web') >= ?")) {
                ps.setInt(1, overlap);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        done.add(rs.getString(1));
                    }
                }
            }
            for (String id : done) {
                event(c, id, Status.COMPLETE, "annotate", "labelled by " + overlap + " or more people");
            }
            return done.size();
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

    static Optional<Status> status(Connection c, String taskId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT status FROM task_events WHERE task_id = ? ORDER BY seq DESC LIMIT 1")) {
            ps.setString(1, taskId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Status.valueOf(rs.getString(1).toUpperCase(Locale.ROOT))) : Optional.empty();
            }
        }
    }

    static void event(Connection c, String taskId, Status status, String actor, String note) throws SQLException {
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
        String conversation = rs.getString("conversation");
        return new StoredTask(task, rs.getInt("version"), gold == null ? List.of() : LabelCodec.ints(LabelCodec.read(gold)),
                rs.getDouble("priority"), conversation == null ? List.of() : LabelCodec.conversation(conversation));
    }
}
