package org.rlhf4j.host.annotate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.api.annotate.AnnotationTask;
import org.rlhf4j.api.annotate.AnnotationTask.Kind;
import org.rlhf4j.api.annotate.Label;
import org.rlhf4j.api.data.Message;
import org.rlhf4j.host.annotate.store.AnnotationStore;
import org.rlhf4j.host.annotate.store.LabelStore;
import org.rlhf4j.host.annotate.store.TaskStore;
import org.rlhf4j.host.cli.Cli;
import org.rlhf4j.host.cli.ExitCodes;
import org.rlhf4j.host.cli.annotate.AnnotateCommand;

/**
 * {@code rlhf annotate export --format trl-preference | trl-sft | kto} on a real SQLite store filled through the
 * store API: every line read back and checked field by field, in TRL's standard form and, once a task has its
 * prompt as a conversation, in the conversational form; gold, review and tied items stay out.
 */
class TrlExportsTest {

    @TempDir
    Path dir;

    private Path conf() throws Exception {
        Path conf = dir.resolve("export.conf");
        Files.writeString(conf, "run { name = export, output = \"" + dir.resolve("run") + "\" }\n");
        return conf;
    }

    private AnnotationStore store() {
        return AnnotationStore.open("jdbc:sqlite:" + dir.resolve("run/annotations.db"));
    }

    private static void rank(AnnotationStore store, String task, String annotator, Integer... ranks) {
        store.labels().add(task + "@" + annotator, 1, LabelStore.Source.WEB,
                new Label(task, annotator, List.of(ranks), List.of(), List.of(), List.of(), null, null, Map.of()));
    }

    /** Runs {@code rlhf annotate export CONFIG --format FORMAT} in this JVM; the lines it wrote. */
    private List<JsonNode> export(Path conf, String format) throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            code = Cli.execute(AnnotateMain.class, List.of(AnnotateCommand::new), "annotate", "export", conf.toString(), "--format", format);
        } finally {
            System.setErr(err);
        }
        assertEquals(ExitCodes.OK, code, e.toString(StandardCharsets.UTF_8));
        Path file = dir.resolve("run/data/" + format + ".jsonl");
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            out.add(AnnotateFixture.JSON.readTree(line));
        }
        assertTrue(e.toString(StandardCharsets.UTF_8).contains(out.size() + " " + format + " line(s)"), e.toString(StandardCharsets.UTF_8));
        return out;
    }

    private static List<JsonNode> lines(String... json) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String j : json) {
            out.add(AnnotateFixture.JSON.readTree(j.replace('\'', '"')));
        }
        return out;
    }

    @Test
    void exportsTrlLayoutsStandardThenConversational() throws Exception {
        Path conf = conf();
        Files.createDirectories(dir.resolve("run"));
        try (AnnotationStore store = store()) {
            AnnotateFixture.queue(store, new AnnotationTask("a-plain", Kind.RANK, "2+2?", List.of("4", "5"), Map.of()));
            rank(store, "a-plain", "alice", 1, 2);
            AnnotateFixture.queue(store, new AnnotationTask("b-tie", Kind.RANK, "Pick one.", List.of("x", "y"), Map.of()));
            rank(store, "b-tie", "alice", 1, 1);
            AnnotateFixture.queue(store, new AnnotationTask("c-edit", Kind.EDIT, "Write a haiku.", List.of("Old pond."), Map.of()));
            store.labels().add("c-edit@bob", 1, LabelStore.Source.WEB, new Label("c-edit", "bob", List.of(), List.of(), List.of(),
                    List.of(), null, null, Map.of("prompt", "Write a haiku about rain.", "answer", "Rain on the roof.")));
            store.tasks().put(new AnnotationTask("d-gold", Kind.RANK, "Gold?", List.of("g1", "g2"), Map.of()), List.of(1, 2), 0);
            store.tasks().setStatus("d-gold", TaskStore.Status.QUEUED, "test", "");
            rank(store, "d-gold", "alice", 1, 2);
            AnnotateFixture.queue(store, new AnnotationTask("e-review", Kind.RANK, "Flagged?", List.of("r1", "r2"), Map.of()));
            store.tasks().setStatus("e-review", TaskStore.Status.REVIEW, "screening", "flagged");
            rank(store, "e-review", "alice", 1, 2);
        }
        assertEquals(lines("{'prompt': '2+2?', 'chosen': '4', 'rejected': '5'}"), export(conf, "trl-preference"));
        assertEquals(lines("{'prompt': '2+2?', 'completion': '4'}",
                "{'prompt': 'Write a haiku about rain.', 'completion': 'Rain on the roof.'}"), export(conf, "trl-sft"));
        assertEquals(lines("{'prompt': '2+2?', 'completion': '4', 'label': true}",
                "{'prompt': '2+2?', 'completion': '5', 'label': false}"), export(conf, "kto"));

        try (AnnotationStore store = store()) {
            store.tasks().put(new AnnotationTask("f-chat", Kind.RANK, "Hi?", List.of("A0", "A1", "A2"), Map.of()), null, 0,
                    List.of(new Message(Message.Role.SYSTEM, "Be brief."), Message.user("Hi?")));
            store.tasks().setStatus("f-chat", TaskStore.Status.QUEUED, "test", "");
            rank(store, "f-chat", "alice", 1, 2, 3);
            rank(store, "f-chat", "bob", 1, 3, 2); // mean ranks 1, 2.5, 2.5: A1 and A2 tie
        }
        String plain = "[{'role': 'user', 'content': '2+2?'}]";
        String chat = "[{'role': 'system', 'content': 'Be brief.'}, {'role': 'user', 'content': 'Hi?'}]";
        assertEquals(lines("{'prompt': " + plain + ", 'chosen': " + said("4") + ", 'rejected': " + said("5") + "}",
                "{'prompt': " + chat + ", 'chosen': " + said("A0") + ", 'rejected': " + said("A1") + "}",
                "{'prompt': " + chat + ", 'chosen': " + said("A0") + ", 'rejected': " + said("A2") + "}"), export(conf, "trl-preference"));
        assertEquals(lines("{'prompt': " + plain + ", 'completion': " + said("4") + "}",
                "{'prompt': [{'role': 'user', 'content': 'Write a haiku about rain.'}], 'completion': " + said("Rain on the roof.") + "}",
                "{'prompt': " + chat + ", 'completion': " + said("A0") + "}"), export(conf, "trl-sft"));
        assertEquals(lines("{'prompt': " + plain + ", 'completion': " + said("4") + ", 'label': true}",
                "{'prompt': " + plain + ", 'completion': " + said("5") + ", 'label': false}",
                "{'prompt': " + chat + ", 'completion': " + said("A0") + ", 'label': true}",
                "{'prompt': " + chat + ", 'completion': " + said("A1") + ", 'label': false}",
                "{'prompt': " + chat + ", 'completion': " + said("A2") + ", 'label': false}"), export(conf, "kto"));
    }

    private static String said(String text) {
        return "[{'role': 'assistant', 'content': '" + text + "'}]";
    }

    @Test
    void anUnknownFormatIsAUsageError() throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            assertEquals(ExitCodes.USAGE, Cli.execute(AnnotateMain.class, List.of(AnnotateCommand::new), "annotate", "export",
                    conf().toString(), "--format", "dpo"));
        } finally {
            System.setErr(err);
        }
        assertTrue(e.toString(StandardCharsets.UTF_8).contains("--format must be trl-preference, trl-sft, kto, label-studio or argilla (got 'dpo')"), e.toString());
    }

    @Test
    void aPreferenceRecordWithMessagesKeepsItsConversation() throws Exception {
        List<Message> turns = List.of(new Message(Message.Role.SYSTEM, "Be brief."), Message.user("Hi?"));
        Path file = dir.resolve("prefs.jsonl");
        org.rlhf4j.host.records.RecordJsonl.write(file, List.of(
                new org.rlhf4j.api.data.Record("chat", org.rlhf4j.api.data.Record.Kind.PREFERENCE, "", turns,
                        List.of("Hello.", "Go away."), Map.of(), null),
                new org.rlhf4j.api.data.Record("plain", org.rlhf4j.api.data.Record.Kind.PREFERENCE, "2+2?", List.of(),
                        List.of("4", "5"), Map.of(), null)));
        List<TaskFiles.Loaded> loaded = TaskFiles.read(file, org.rlhf4j.host.annotate.settings.AnnotateSettings.Format.RECORDS, false);
        assertEquals("Hi?", loaded.get(0).task().prompt());
        assertEquals(turns, loaded.get(0).conversation());
        assertEquals("2+2?", loaded.get(1).task().prompt());
        assertEquals(List.of(), loaded.get(1).conversation());
    }
}
