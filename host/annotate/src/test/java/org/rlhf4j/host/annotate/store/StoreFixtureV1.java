package org.rlhf4j.host.annotate.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.rlhf4j.api.annotate.AnnotationTask;
import org.rlhf4j.api.annotate.AnnotationTask.Kind;
import org.rlhf4j.api.annotate.Label;

/**
 * Made {@code annotations-v1.db} (and its {@code annotations-v1.properties}: the accounts' tokens and the
 * store's secret) in src/test/resources through the store API of schema version 1, at the commit that added
 * both; {@link StoreVersionTest} opens a copy with the current code. Run again today it would write the
 * current version, so the committed file, not this class, is the fixture:
 * {@code java -cp <test classpath> org.rlhf4j.host.annotate.store.StoreFixtureV1 DIR}.
 */
final class StoreFixtureV1 {

    private StoreFixtureV1() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Path db = dir.resolve("annotations-v1.db");
        Files.deleteIfExists(db);
        StringBuilder props = new StringBuilder("# written by StoreFixtureV1 with annotations-v1.db\n");
        try (AnnotationStore store = AnnotationStore.open("jdbc:sqlite:" + db)) {
            props.append("alice=").append(store.accounts().create("alice", Accounts.Role.ANNOTATOR)).append('\n');
            String first = store.accounts().create("bob", Accounts.Role.ANNOTATOR);
            props.append("bob.revoked=").append(first).append('\n');
            props.append("bob=").append(store.accounts().rotate("bob", "admin")).append('\n');
            props.append("admin=").append(store.accounts().create("admin", Accounts.Role.ADMIN)).append('\n');
            props.append("secret=").append(HexFormat.of().formatHex(store.secret("blind-ab"))).append('\n');

            TaskStore tasks = store.tasks();
            tasks.put(new AnnotationTask("rank-1", Kind.RANK, "Which answer is best?", List.of("First.", "Second.", "Third."),
                    Map.of("category", "qa")), null, 1.0);
            tasks.put(new AnnotationTask("rank-1", Kind.RANK, "Which answer is best? (fixed)", List.of("First.", "Second.",
                    "Third."), Map.of("category", "qa")), null, 1.0);
            tasks.put(new AnnotationTask("gold-1", Kind.RANK, "Two plus two?", List.of("Four.", "Five."), Map.of()),
                    List.of(1, 2), 0.5);
            tasks.put(new AnnotationTask("edit-1", Kind.EDIT, "Write a haiku.", List.of("Old pond."), Map.of("lang", "en")),
                    null, 2.0);
            tasks.put(new AnnotationTask("ab-1", Kind.COMPARE, "Say hi.", List.of("Hi.", "Hello."),
                    Map.of("model_a", "m1", "model_b", "m2")), null, 3.0);
            for (String id : List.of("rank-1", "gold-1", "edit-1", "ab-1")) {
                tasks.setStatus(id, TaskStore.Status.QUEUED, "admin", "approved");
            }
            tasks.alias("ab-9f2c", "ab-1");
            tasks.assign("rank-1", "alice");
            tasks.assign("rank-1", "bob");
            tasks.assign("edit-1", "alice");
            tasks.assign("ab-1", "bob");
            tasks.release("ab-1", "bob", "admin", "gone quiet");
            LabelStore labels = store.labels();
            labels.submit("sub-alice-1", 2, new Label("rank-1", "alice", List.of(1, 2, 3), List.of(6, 4, 2), List.of(),
                    List.of(), null, "clear", Map.of()), 2, false);
            labels.submit("sub-bob-1", 2, new Label("rank-1", "bob", List.of(2, 1, 3), List.of(), List.of(List.of(),
                    List.of(), List.of("off-topic")), List.of(), null, null, Map.of()), 2, false);
            labels.submit("sub-alice-2", 1, new Label("edit-1", "alice", List.of(), List.of(), List.of(), List.of(), null,
                    null, Map.of("prompt", "Write a haiku about rain.", "answer", "Rain on the roof.")), 2, false);
            labels.add("import-1", 1, LabelStore.Source.IMPORT, new Label("gold-1", "import:gold", List.of(1, 2), List.of(),
                    List.of(), List.of(), null, null, Map.of()));
        }
        Files.writeString(dir.resolve("annotations-v1.properties"), props, StandardCharsets.UTF_8);
    }
}
