package org.rlhf4j.host.annotate.store;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The annotation store's schema, version by version. Each {@link Step} brings a store from the version before
 * it to its own; {@link Database#open} applies the steps a store lacks, each in one transaction together with
 * the version number it records (SQLite's {@code PRAGMA user_version}; the table {@code store_version} on any
 * other database), so a failing step leaves the store as it was at the version before. A store newer than
 * {@link #STEPS} knows is refused, unchanged.
 *
 * <p>Version 1 is the schema of rlhf4j 0.1.x, which kept no version: its step creates whatever tables are
 * missing, so an unversioned store with those tables (or with the 0.1.0 subset of them) is taken as
 * version 1. A new version is a new step at the end of {@link #STEPS}; a step once released never changes.
 */
final class Schema {

    /** One change of schema. {@code identity} is the dialect's auto-increment primary key column type. */
    @FunctionalInterface
    interface Change {
        void apply(Statement s, String identity) throws SQLException;
    }

    /** The migration to schema {@code version}. */
    record Step(int version, String what, Change change) {
    }

    /** Every version, in order: {@code STEPS.get(i)} is version {@code i + 1}. */
    static final List<Step> STEPS = List.of(
            new Step(1, "the tables of rlhf4j 0.1.x", Schema::version1),
            // A task read from a conversation record keeps its prompt's turns (system prompt, earlier turns), so the
            // TRL exports can write it in TRL's conversational form; NULL for a plain-text prompt.
            new Step(2, "tasks.conversation, a prompt's conversation turns",
                    (s, identity) -> s.execute("ALTER TABLE tasks ADD COLUMN conversation TEXT")));

    private Schema() {
    }

    private static void version1(Statement s, String identity) throws SQLException {
        List<String> ddl = List.of(
                "CREATE TABLE IF NOT EXISTS accounts (name TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE,"
                        + " role TEXT NOT NULL, created_at BIGINT NOT NULL)",
                // One row per version of a task; a changed task is a new version, the old one stays.
                "CREATE TABLE IF NOT EXISTS tasks (task_id TEXT NOT NULL, version INTEGER NOT NULL, kind TEXT NOT NULL,"
                        + " prompt TEXT NOT NULL, answers TEXT NOT NULL, meta TEXT NOT NULL, gold TEXT,"
                        + " priority DOUBLE PRECISION NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (task_id, version))",
                // The status history of each task: new, review, queued, rejected, labelled (imported).
                "CREATE TABLE IF NOT EXISTS task_events (seq " + identity + ", task_id TEXT NOT NULL,"
                        + " status TEXT NOT NULL, actor TEXT NOT NULL, note TEXT NOT NULL, created_at BIGINT NOT NULL)",
                "CREATE INDEX IF NOT EXISTS task_events_by_task ON task_events (task_id, seq)",
                "CREATE TABLE IF NOT EXISTS assignments (task_id TEXT NOT NULL, annotator TEXT NOT NULL,"
                        + " assigned_at BIGINT NOT NULL, PRIMARY KEY (task_id, annotator))",
                // Every submission, kept: a revised label is a new row; submission_id makes a retried POST a no-op.
                "CREATE TABLE IF NOT EXISTS labels (seq " + identity + ", submission_id TEXT NOT NULL UNIQUE,"
                        + " task_id TEXT NOT NULL, task_version INTEGER NOT NULL, annotator TEXT NOT NULL,"
                        + " source TEXT NOT NULL, body TEXT NOT NULL, created_at BIGINT NOT NULL)",
                "CREATE INDEX IF NOT EXISTS labels_by_task ON labels (task_id, annotator)",
                // Added after 0.1.0, each a new table so that 0.1.0 stores opened unchanged:
                // tokens issued by rotation (the first token of an account is accounts.token_hash) ...
                "CREATE TABLE IF NOT EXISTS account_tokens (token_hash TEXT PRIMARY KEY, name TEXT NOT NULL,"
                        + " created_at BIGINT NOT NULL)",
                // ... and every revoked token, whichever table issued it.
                "CREATE TABLE IF NOT EXISTS revoked_tokens (token_hash TEXT PRIMARY KEY, name TEXT NOT NULL,"
                        + " actor TEXT NOT NULL, revoked_at BIGINT NOT NULL)",
                // An admin released an assignment nobody labelled: it no longer counts, and its annotator is not given
                // the task again.
                "CREATE TABLE IF NOT EXISTS released_assignments (seq " + identity + ", task_id TEXT NOT NULL,"
                        + " annotator TEXT NOT NULL, actor TEXT NOT NULL, note TEXT NOT NULL, released_at BIGINT NOT NULL)",
                "CREATE INDEX IF NOT EXISTS released_by_task ON released_assignments (task_id, annotator)",
                // Server-side secrets (the key that draws blind A/B order and names blind tasks), made once per store.
                "CREATE TABLE IF NOT EXISTS server_secrets (name TEXT PRIMARY KEY, secret TEXT NOT NULL, created_at BIGINT NOT NULL)",
                // The opaque names annotators know blind tasks by.
                "CREATE TABLE IF NOT EXISTS task_aliases (alias TEXT PRIMARY KEY, task_id TEXT NOT NULL UNIQUE)");
        for (String sql : ddl) {
            s.execute(sql);
        }
    }
}
