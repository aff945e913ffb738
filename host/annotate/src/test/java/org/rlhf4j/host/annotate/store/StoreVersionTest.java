package org.rlhf4j.host.annotate.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.api.annotate.AnnotationTask;
import org.rlhf4j.api.data.Message;
import org.rlhf4j.host.annotate.store.LabelStore.StoredLabel;

/**
 * Schema versions: a store written by the code of schema version 1 (the committed {@code annotations-v1.db},
 * made by {@link StoreFixtureV1}) migrates and reads back whole; a store newer than the code is refused
 * unchanged; a failing step leaves the store at the version before it, with nothing lost.
 */
class StoreVersionTest {

    @TempDir
    Path dir;

    private Path fixture() throws Exception {
        Path db = dir.resolve("annotations.db");
        try (InputStream in = getClass().getResourceAsStream("annotations-v1.db")) {
            Files.copy(in, db);
        }
        return db;
    }

    private Properties secrets() throws Exception {
        Properties p = new Properties();
        try (InputStream in = getClass().getResourceAsStream("annotations-v1.properties")) {
            p.load(in);
        }
        return p;
    }

    private static int userVersion(Path db) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            return rs.getInt(1);
        }
    }

    private static List<String> columns(Path db, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (rs.next()) {
                out.add(rs.getString("name"));
            }
        }
        return out;
    }

    @Test
    void aVersion1StoreMigratesAndEverythingReadsBack() throws Exception {
        Path db = fixture();
        assertEquals(0, userVersion(db), "the fixture is an unversioned store of schema version 1");
        Properties p = secrets();
        try (AnnotationStore store = AnnotationStore.open("jdbc:sqlite:" + db)) {
            assertVersion1Data(store, p);
            // the new column works on the migrated store
            List<Message> turns = List.of(new Message(Message.Role.SYSTEM, "Be brief."), Message.user("Hi?"));
            AnnotationTask chat = new AnnotationTask("chat-1", AnnotationTask.Kind.RANK, "Hi?", List.of("Hello.", "Go away."), Map.of());
            assertEquals(1, store.tasks().put(chat, null, 0, turns));
            assertEquals(turns, store.tasks().latest("chat-1").orElseThrow().conversation());
            assertEquals(2, store.tasks().put(chat, null, 0, List.of(Message.user("Hi?"))), "a changed conversation is a new version");
        }
        assertEquals(Schema.STEPS.size(), userVersion(db));
        assertTrue(columns(db, "tasks").contains("conversation"), columns(db, "tasks").toString());
        try (AnnotationStore store = AnnotationStore.open("jdbc:sqlite:" + db)) {
            assertVersion1Data(store, p);
            assertEquals(List.of(Message.user("Hi?")), store.tasks().latest("chat-1").orElseThrow().conversation());
        }
    }

    private static void assertVersion1Data(AnnotationStore store, Properties p) {
        assertEquals("alice", store.accounts().authenticate(p.getProperty("alice")).orElseThrow().name());
        assertEquals("bob", store.accounts().authenticate(p.getProperty("bob")).orElseThrow().name());
        assertTrue(store.accounts().authenticate(p.getProperty("bob.revoked")).isEmpty(), "a token rotated out signs in again");
        assertEquals(Accounts.Role.ADMIN, store.accounts().authenticate(p.getProperty("admin")).orElseThrow().role());
        assertEquals(3, store.accounts().all().size());
        assertArrayEquals(HexFormat.of().parseHex(p.getProperty("secret")), store.secret("blind-ab"));

        TaskStore tasks = store.tasks();
        TaskStore.StoredTask rank = tasks.latest("rank-1").orElseThrow();
        assertEquals(2, rank.version());
        assertEquals("Which answer is best? (fixed)", rank.task().prompt());
        assertEquals(List.of("First.", "Second.", "Third."), rank.task().answers());
        assertEquals(Map.of("category", "qa"), rank.task().meta());
        assertEquals(1.0, rank.priority());
        assertEquals(List.of(), rank.conversation());
        assertEquals("Which answer is best?", tasks.version("rank-1", 1).orElseThrow().task().prompt());
        assertEquals(List.of(1, 2), tasks.latest("gold-1").orElseThrow().gold());
        assertEquals(Map.of("model_a", "m1", "model_b", "m2"), tasks.latest("ab-1").orElseThrow().task().meta());
        assertEquals(TaskStore.Status.COMPLETE, tasks.status("rank-1").orElseThrow(), "two labels with overlap 2");
        assertEquals(TaskStore.Status.QUEUED, tasks.status("edit-1").orElseThrow());
        assertEquals(List.of("rank-1", "gold-1", "edit-1", "ab-1"), tasks.all().stream().map(t -> t.task().id())
                .filter(id -> !id.equals("chat-1")).toList());
        assertEquals("ab-1", tasks.aliased("ab-9f2c").orElseThrow());
        assertTrue(tasks.isAssigned("rank-1", "bob"));
        assertFalse(tasks.isAssigned("ab-1", "bob"), "the released assignment counts again");

        List<StoredLabel> labels = store.labels().all();
        assertEquals(List.of("sub-alice-1", "sub-bob-1", "sub-alice-2", "import-1"), labels.stream().map(StoredLabel::submissionId).toList());
        StoredLabel alice = labels.get(0);
        assertEquals(2, alice.taskVersion());
        assertEquals(List.of(1, 2, 3), alice.label().ranks());
        assertEquals(List.of(6, 4, 2), alice.label().ratings());
        assertEquals("clear", alice.label().reason());
        assertEquals(List.of(List.of(), List.of(), List.of("off-topic")), labels.get(1).label().flags());
        assertEquals("Rain on the roof.", labels.get(2).label().meta().get("answer"));
        assertEquals(LabelStore.Source.IMPORT, labels.get(3).source());
    }

    @Test
    void aNewStoreIsAtTheCurrentVersion() throws Exception {
        Path db = dir.resolve("new.db");
        AnnotationStore.open("jdbc:sqlite:" + db).close();
        assertEquals(Schema.STEPS.size(), userVersion(db));
        for (int i = 0; i < Schema.STEPS.size(); i++) {
            assertEquals(i + 1, Schema.STEPS.get(i).version(), "steps are numbered 1, 2, ... in order");
        }
    }

    @Test
    void aStoreNewerThanTheCodeIsRefusedUnchanged() throws Exception {
        Path db = dir.resolve("newer.db");
        AnnotationStore.open("jdbc:sqlite:" + db).close();
        int newer = Schema.STEPS.size() + 1;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version = " + newer);
        }
        Database.StoreException e = assertThrows(Database.StoreException.class, () -> AnnotationStore.open("jdbc:sqlite:" + db));
        assertTrue(e.getMessage().contains(db.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("schema version " + newer + ", newer than the " + Schema.STEPS.size()), e.getMessage());
        assertEquals(newer, userVersion(db));
    }

    @Test
    void aFailingStepLeavesTheStoreAtTheVersionBeforeWithNothingLost() throws Exception {
        Path db = fixture();
        int last = Schema.STEPS.size();
        List<Schema.Step> steps = new ArrayList<>(Schema.STEPS);
        steps.add(new Schema.Step(last + 1, "a step that fails half way", (s, identity) -> {
            s.execute("ALTER TABLE tasks ADD COLUMN doomed TEXT");
            s.execute("DELETE FROM labels");
            s.execute("DROP TABLE accounts");
            throw new SQLException("deliberate failure");
        }));
        Database.StoreException e = assertThrows(Database.StoreException.class, () -> Database.open("jdbc:sqlite:" + db, steps));
        assertTrue(e.getMessage().contains("from schema version " + last + " to " + (last + 1) + " (a step that fails half way)"
                + ": deliberate failure; it is left unchanged at version " + last), e.getMessage());
        assertTrue(e.getMessage().contains(db.toString()), e.getMessage());
        assertEquals(last, userVersion(db));
        assertFalse(columns(db, "tasks").contains("doomed"));
        try (AnnotationStore store = AnnotationStore.open("jdbc:sqlite:" + db)) {
            assertVersion1Data(store, secrets());
        }
    }
}
