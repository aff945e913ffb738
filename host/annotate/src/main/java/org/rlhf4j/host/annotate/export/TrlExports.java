package org.rlhf4j.host.annotate.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.rlhf4j.api.annotate.AnnotationTask;
import org.rlhf4j.api.annotate.Label;
import org.rlhf4j.api.data.Message;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.annotate.settings.AnnotateSettings;
import org.rlhf4j.host.annotate.store.AnnotationStore;
import org.rlhf4j.host.annotate.store.TaskStore.StoredTask;

/**
 * The labels in the store as JSONL in the layouts of TRL's dataset formats
 * (https://huggingface.co/docs/trl/dataset_formats), with exactly the documented columns:
 * <ul>
 *   <li>{@code trl-preference}: preference with an explicit prompt, {@code {"prompt", "chosen", "rejected"}}, one
 *       line per pair of the ranked tasks (the pairs of {@code data/preferences.jsonl}: {@link PreferencePairs},
 *       {@code annotate.export.aggregate}; tied answers give no pair);</li>
 *   <li>{@code trl-sft}: prompt-completion, {@code {"prompt", "completion"}}: the edited prompt and answer of each
 *       edit task (as in {@code data/sft-edited.jsonl}) and the preferred answer of each ranked task, the one
 *       with the strictly best mean rank (a tie for best gives no line);</li>
 *   <li>{@code kto}: unpaired preference, {@code {"prompt", "completion", "label"}}: each preference pair unpaired,
 *       the chosen answer {@code true} and the rejected one {@code false} (TRL's {@code unpair_preference_dataset}),
 *       a line repeated within a task written once.</li>
 * </ul>
 * One form per file, so that every line has the same column types: conversational (prompt as a list of
 * {@code {"role", "content"}} messages, completions as one assistant message) when any task written has its
 * prompt as a conversation (read from a preference record with messages), a plain-text prompt then becoming one
 * user message; otherwise standard (strings). The same selection as {@link AnnotationExports}: gold, review,
 * rejected and excluded labels stay out.
 */
public final class TrlExports {

    /** The layouts, by their command-line names. */
    public enum Format {
        TRL_PREFERENCE, TRL_SFT, KTO;

        /** The name on the command line and of the default file: {@code trl-preference}, {@code trl-sft}, {@code kto}. */
        public String cliName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** One line before it takes its form: a prompt and one or two completions (and a KTO label). */
    private record Line(StoredTask task, String prompt, String first, String second, Boolean label) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AnnotateSettings settings;
    private final AnnotationExports exports;

    public TrlExports(AnnotateSettings settings) {
        this.settings = settings;
        this.exports = new AnnotationExports(settings);
    }

    /** Writes {@code format} to {@code file}; returns how many lines. */
    public int write(AnnotationStore store, Format format, Path file) {
        List<ObjectNode> rows = rows(store, format);
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                for (ObjectNode o : rows) {
                    w.write(JSON.writeValueAsString(o));
                    w.newLine();
                }
            }
        } catch (IOException e) {
            throw new StageFailure("cannot write " + file + ": " + e.getMessage(), e);
        }
        return rows.size();
    }

    /** The lines of {@code format}, in task order. */
    public List<ObjectNode> rows(AnnotationStore store, Format format) {
        AnnotationExports.Selection selection = exports.select(store);
        List<Line> lines = new ArrayList<>();
        for (StoredTask st : selection.tasks()) {
            List<Label> labels = selection.labels().get(st.task().id());
            AnnotationTask t = st.task();
            if (t.kind() == AnnotationTask.Kind.RANK) {
                switch (format) {
                    case TRL_PREFERENCE -> pairs(st, labels).forEach(r ->
                            lines.add(new Line(st, t.prompt(), r.answers().get(0), r.answers().get(1), null)));
                    case KTO -> {
                        Set<Line> once = new LinkedHashSet<>();
                        for (Record r : pairs(st, labels)) {
                            once.add(new Line(st, t.prompt(), r.answers().get(0), null, true));
                            once.add(new Line(st, t.prompt(), r.answers().get(1), null, false));
                        }
                        lines.addAll(once);
                    }
                    case TRL_SFT -> {
                        int best = preferred(t, labels);
                        if (best >= 0) {
                            lines.add(new Line(st, t.prompt(), t.answers().get(best), null, null));
                        }
                    }
                }
            } else if (t.kind() == AnnotationTask.Kind.EDIT && format == Format.TRL_SFT) {
                Record r = exports.edited(t, labels.get(labels.size() - 1), selection.revisions().getOrDefault(t.id(), 0));
                if (r != null) {
                    lines.add(new Line(null, r.messages().get(0).content(), r.messages().get(1).content(), null, null));
                }
            }
        }
        boolean conversational = lines.stream().anyMatch(l -> l.task() != null && !l.task().conversation().isEmpty());
        List<ObjectNode> out = new ArrayList<>();
        for (Line l : lines) {
            ObjectNode o = JSON.createObjectNode();
            if (conversational) {
                ArrayNode prompt = o.putArray("prompt");
                List<Message> turns = l.task() == null || l.task().conversation().isEmpty()
                        ? List.of(Message.user(l.prompt())) : l.task().conversation();
                turns.forEach(m -> message(prompt, m));
            } else {
                o.put("prompt", l.prompt());
            }
            if (format == Format.TRL_PREFERENCE) {
                completion(o, "chosen", l.first(), conversational);
                completion(o, "rejected", l.second(), conversational);
            } else {
                completion(o, "completion", l.first(), conversational);
            }
            if (format == Format.KTO) {
                o.put("label", l.label());
            }
            out.add(o);
        }
        return out;
    }

    private List<Record> pairs(StoredTask st, List<Label> labels) {
        return PreferencePairs.pairs(st.task(), labels, settings.aggregate());
    }

    /** The answer with the strictly best (lowest) mean rank over the labels that rank every answer, or -1. */
    private static int preferred(AnnotationTask task, List<Label> labels) {
        int k = task.answers().size();
        double[] sum = new double[k];
        int usable = 0;
        for (Label l : labels) {
            if (l.ranks().size() == k) {
                usable++;
                for (int i = 0; i < k; i++) {
                    sum[i] += l.ranks().get(i);
                }
            }
        }
        if (usable == 0) {
            return -1;
        }
        int best = 0;
        boolean tied = false;
        for (int i = 1; i < k; i++) {
            if (sum[i] < sum[best]) {
                best = i;
                tied = false;
            } else if (sum[i] == sum[best]) {
                tied = true;
            }
        }
        return tied ? -1 : best;
    }

    private static void completion(ObjectNode o, String field, String text, boolean conversational) {
        if (conversational) {
            message(o.putArray(field), new Message(Message.Role.ASSISTANT, text));
        } else {
            o.put(field, text);
        }
    }

    private static void message(ArrayNode list, Message m) {
        list.addObject().put("role", m.role().name().toLowerCase(Locale.ROOT)).put("content", m.content());
    }
}
