package org.rlhf4j.host.preference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.api.annotate.AnnotationTask;
import org.rlhf4j.api.annotate.AnnotationTask.Kind;
import org.rlhf4j.api.annotate.Label;
import org.rlhf4j.api.data.Message;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.host.annotate.export.TrlExports;
import org.rlhf4j.host.annotate.settings.AnnotateSettings;
import org.rlhf4j.host.annotate.store.AnnotationStore;
import org.rlhf4j.host.annotate.store.LabelStore;
import org.rlhf4j.host.annotate.store.TaskStore;
import org.rlhf4j.host.data.JsonlSource;
import org.rlhf4j.host.testkit.DataTestKit;

/**
 * What {@code rlhf annotate export --format trl-*} writes loads back through our own TRL readers (host/data's
 * {@code trl-*} formats, and {@code auto}) as the records the labels say: the exports drop into TRL and into rlhf4j
 * alike. Both of TRL's forms: standard strings, and conversational once a task's prompt is a conversation.
 */
class TrlExportsRoundTripTest {

    @TempDir
    Path dir;

    @Test
    void standardFormReadsBackAsTheLabelledRecords() throws Exception {
        try (AnnotationStore store = store()) {
            queue(store, new AnnotationTask("a", Kind.RANK, "2+2?", List.of("4", "5"), Map.of()), null);
            rank(store, "a", 2, 1); // the second answer is preferred
        }
        List<Record> pref = exportAndRead(TrlExports.Format.TRL_PREFERENCE, "trl-preference");
        assertEquals(1, pref.size());
        assertEquals(Record.Kind.PREFERENCE, pref.get(0).kind());
        assertEquals(List.of(Message.user("2+2?")), pref.get(0).messages());
        assertEquals(List.of("5", "4"), pref.get(0).answers(), "chosen first");
        assertEquals(pref.get(0).answers(), exportAndRead(TrlExports.Format.TRL_PREFERENCE, "auto").get(0).answers());

        List<Record> sft = exportAndRead(TrlExports.Format.TRL_SFT, "trl-prompt-completion");
        assertEquals(List.of(Message.user("2+2?"), Message.assistant("5")), sft.get(0).messages());

        List<Record> kto = exportAndRead(TrlExports.Format.KTO, "trl-unpaired-preference");
        assertEquals(List.of("5", "4"), kto.stream().map(r -> r.messages().get(r.messages().size() - 1).content()).toList());
        assertEquals(List.of("true", "false"), kto.stream().map(r -> r.meta().get("kto-label")).toList());
    }

    @Test
    void conversationalFormKeepsTheTurns() throws Exception {
        List<Message> turns = List.of(new Message(Message.Role.SYSTEM, "Be brief."), Message.user("你好吗?"));
        try (AnnotationStore store = store()) {
            queue(store, new AnnotationTask("c", Kind.RANK, "你好吗?", List.of("很好。", "不好。"), Map.of()), turns);
            rank(store, "c", 1, 2);
        }
        List<Record> pref = exportAndRead(TrlExports.Format.TRL_PREFERENCE, "auto");
        assertEquals(turns, pref.get(0).messages());
        assertEquals(List.of("很好。", "不好。"), pref.get(0).answers());
        List<Record> sft = exportAndRead(TrlExports.Format.TRL_SFT, "trl-prompt-completion");
        assertEquals(List.of(turns.get(0), turns.get(1), Message.assistant("很好。")), sft.get(0).messages());
    }

    private AnnotationStore store() {
        return AnnotationStore.open("jdbc:sqlite:" + dir.resolve("annotations.db"));
    }

    private static void queue(AnnotationStore store, AnnotationTask task, List<Message> conversation) {
        if (conversation == null) {
            store.tasks().put(task, null, 0);
        } else {
            store.tasks().put(task, null, 0, conversation);
        }
        store.tasks().setStatus(task.id(), TaskStore.Status.QUEUED, "test", "");
    }

    private static void rank(AnnotationStore store, String task, Integer... ranks) {
        store.labels().add(task + "@alice", 1, LabelStore.Source.WEB,
                new Label(task, "alice", List.of(ranks), List.of(), List.of(), List.of(), null, null, Map.of()));
    }

    /** Exports {@code format} from the store, then reads the file back with the JSONL source in {@code readAs}. */
    private List<Record> exportAndRead(TrlExports.Format format, String readAs) throws Exception {
        Path file = dir.resolve(format.cliName() + ".jsonl");
        AnnotateSettings settings = AnnotateSettings.from(ConfigFactory.defaultReference().getConfig("annotate"));
        try (AnnotationStore store = store()) {
            new TrlExports(settings).write(store, format, file);
        }
        return DataTestKit.read(new JsonlSource(), "path = \"" + file + "\", name = export, format = " + readAs + ", on-error = fail");
    }
}
