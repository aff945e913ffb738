package org.rlhf4j.host.annotate.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store written by 0.1.0 (its tables exactly, before tokens could be rotated, assignments released or
 * blind tasks aliased) opens unchanged: its token still signs in, its tasks, assignments and labels read
 * back, and the new features work on it.
 */
class AnnotationStoreMigrationTest {

    /** The 0.1.0 schema. */
    private static final List<String> OLD_SCHEMA = List.of(
            "CREATE TABLE accounts (name TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, role TEXT NOT NULL, created_at BIGINT NOT NULL)",
            "CREATE TABLE tasks (task_id TEXT NOT NULL, version INTEGER NOT NULL, kind TEXT NOT NULL, prompt TEXT NOT NULL,"
                    + " answers TEXT NOT NULL, meta TEXT NOT NULL, gold TEXT, priority DOUBLE PRECISION NOT NULL,"
                    + " created_at BIGINT NOT NULL, PRIMARY KEY (task_id, version))",
            "CREATE TABLE task_events (seq INTEGER PRIMARY KEY AUTOINCREMENT, task_id TEXT NOT NULL, status TEXT NOT NULL,"
                    + " actor TEXT NOT NULL, note TEXT NOT NULL, created_at BIGINT NOT NULL)",
            "CREATE INDEX task_events_by_task ON task_events (task_id, seq)",
            "CREATE TABLE assignments (task_id TEXT NOT NULL, annotator TEXT NOT NULL, assigned_at BIGINT NOT NULL,"
                    + " PRIMARY KEY (task_id, annotator))",
            "CREATE TABLE labels (seq INTEGER PRIMARY KEY AUTOINCREMENT, submission_id TEXT NOT NULL UNIQUE, task_id TEXT NOT NULL,"
                    + " task_version INTEGER NOT NULL, annotator TEXT NOT NULL, source TEXT NOT NULL, body TEXT NOT NULL,"
                    + " created_at BIGINT NOT NULL)",
            "CREATE INDEX labels_by_task ON labels (task_id, annotator)");

    @TempDir
    Path dir;

    @Test
    void aStoreOfTheOldSchemaOpensAndTheNewFeaturesWorkOnIt() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("annotations.db");
        String token = "0123456789abcdef0123456789abcdef0123456789abcdef";
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (String ddl : OLD_SCHEMA) {
                s.execute(ddl);
            }
            s.execute("INSERT INTO accounts VALUES ('alice', '" + hash + "', 'ANNOTATOR', 1)");
            s.execute("INSERT INTO tasks VALUES ('t1', 1, 'RANK', 'p', '[\"a\",\"b\"]', '{}', NULL, 0, 1)");
            s.execute("INSERT INTO tasks VALUES ('t2', 1, 'RANK', 'q', '[\"a\",\"b\"]', '{}', NULL, 0, 2)");
            s.execute("INSERT INTO task_events (task_id, status, actor, note, created_at) VALUES ('t1', 'queued', 'test', '', 1)");
            s.execute("INSERT INTO task_events (task_id, status, actor, note, created_at) VALUES ('t2', 'queued', 'test', '', 2)");
            s.execute("INSERT INTO assignments VALUES ('t1', 'alice', 3)");
            s.execute("INSERT INTO assignments VALUES ('t2', 'alice', 4)");
            s.execute("INSERT INTO labels (submission_id, task_id, task_version, annotator, source, body, created_at)"
                    + " VALUES ('old-sub-1', 't1', 1, 'alice', 'web', '{\"ranks\":[1,2],\"ratings\":[],\"flags\":[],\"safe\":[],\"meta\":{}}', 5)");
        }
        byte[] secret;
        try (AnnotationStore store = AnnotationStore.open(url)) {
            assertEquals("alice", store.accounts().authenticate(token).orElseThrow().name(), "the old token no longer signs in");
            assertEquals(List.of(1, 2), store.labels().find("old-sub-1").orElseThrow().label().ranks());
            assertTrue(store.tasks().isAssigned("t1", "alice"));
            assertEquals(1, store.tasks().completeLabelled(1));
            assertEquals(TaskStore.Status.COMPLETE, store.tasks().status("t1").orElseThrow());
            assertEquals(TaskStore.Release.RELEASED, store.tasks().release("t2", "alice", "admin", "gone"));
            assertFalse(store.tasks().isAssigned("t2", "alice"));
            String fresh = store.accounts().rotate("alice", "admin");
            assertTrue(store.accounts().authenticate(token).isEmpty(), "the rotated-out token still signs in");
            assertEquals("alice", store.accounts().authenticate(fresh).orElseThrow().name());
            store.tasks().alias("ab-x", "t1");
            assertEquals("t1", store.tasks().aliased("ab-x").orElseThrow());
            secret = store.secret("blind-ab");
            assertEquals(32, secret.length);
            assertArrayEquals(secret, store.secret("blind-ab"));
        }
        // and it opens again, the secret unchanged
        try (AnnotationStore store = AnnotationStore.open(url)) {
            assertEquals(1, store.accounts().all().size());
            assertArrayEquals(secret, store.secret("blind-ab"));
        }
    }
}
