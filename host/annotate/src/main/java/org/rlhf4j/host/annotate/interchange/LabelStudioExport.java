package org.rlhf4j.host.annotate.interchange;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rlhf4j.api.annotate.AnnotationTask.Kind;
import org.rlhf4j.host.annotate.store.AnnotationStore;
import org.rlhf4j.host.annotate.store.TaskStore.Status;

/**
 * Writes the store's tasks as Label Studio projects, one directory per kind and number of answers, each with
 * {@code tasks.json} (to import: an array of {@code {data: {...}}}, https://labelstud.io/guide/tasks) and
 * {@code config.xml} (the labeling interface, https://labelstud.io/tags/): rankings with a {@code Ranker} whose
 * buckets {@code rank_1} ... hold tied answers together and a 1-7 {@code Rating} per answer, comparisons with a
 * {@code Pairwise} and a {@code Tie} choice, safety judgements, edits with text areas pre-filled with the prompt and
 * answer, classifications with a text area. The projects' JSON exports come back with {@link LabelStudioImport}.
 */
public final class LabelStudioExport {

    private LabelStudioExport() {
    }

    /** Writes a project per kind and number of answers under {@code dir}; returns the projects written. */
    public static List<String> write(AnnotationStore store, List<Status> statuses, List<String> flags, Path dir) {
        List<String> written = new ArrayList<>();
        for (ExportedTasks.Project p : ExportedTasks.of(store, statuses, LabelStudioImport.TOOL)) {
            ArrayNode tasks = JsonFiles.JSON.createArrayNode();
            for (ExportedTasks.Item item : p.items()) {
                tasks.addObject().set("data", data(p.kind(), item));
            }
            Path project = dir.resolve(p.name());
            JsonFiles.write(project.resolve("tasks.json"), tasks);
            JsonFiles.writeText(project.resolve("config.xml"), config(p.kind(), p.answers(), flags));
            written.add(p.name() + " (" + p.items().size() + " task(s))");
        }
        return written;
    }

    private static ObjectNode data(Kind kind, ExportedTasks.Item item) {
        ObjectNode d = JsonFiles.JSON.createObjectNode();
        d.put(ProjectLayout.TASK_ID, item.id());
        d.put(ProjectLayout.KIND, kind.name().toLowerCase(Locale.ROOT));
        d.put("prompt", item.prompt());
        ArrayNode list = d.putArray(ProjectLayout.ANSWERS);
        for (int i = 0; i < item.answers().size(); i++) {
            d.put(ProjectLayout.answer(i), item.answers().get(i));
            list.addObject().put("id", ProjectLayout.answer(i)).put("title", "Answer " + (i + 1)).put("body", item.answers().get(i));
        }
        d.put("instructions", item.stored().task().meta().getOrDefault("instructions", ""));
        return d;
    }

    /** The labeling config of a project of {@code kind} with {@code k} answers. */
    static String config(Kind kind, int k, List<String> flags) {
        StringBuilder x = new StringBuilder("<View>\n");
        x.append("  <Header value=\"Prompt\"/>\n  <Text name=\"prompt\" value=\"$prompt\"/>\n");
        x.append("  <Text name=\"instructions\" value=\"$instructions\"/>\n");
        switch (kind) {
            case RANK, SAFETY -> {
                x.append("  <Header value=\"Rank the answers: drag each into a rank, best first; answers in one rank are tied\"/>\n");
                x.append("  <List name=\"answers\" value=\"$answers\" title=\"Answers\"/>\n");
                x.append("  <Ranker name=\"").append(ProjectLayout.RANK).append("\" toName=\"answers\">\n");
                for (int r = 1; r <= k; r++) {
                    x.append("    <Bucket name=\"rank_").append(r).append("\" title=\"Rank ").append(r).append(r == 1 ? " (best)" : "")
                            .append("\"/>\n");
                }
                x.append("  </Ranker>\n");
                for (int i = 0; i < k; i++) {
                    x.append("  <Header value=\"Answer ").append(i + 1).append("\" size=\"5\"/>\n");
                    if (kind == Kind.RANK) {
                        x.append("  <Rating name=\"").append(ProjectLayout.RATING).append(i + 1)
                                .append("\" toName=\"prompt\" maxRating=\"7\" required=\"true\"/>\n");
                        x.append("  <Choices name=\"").append(ProjectLayout.FLAGS).append(i + 1)
                                .append("\" toName=\"prompt\" choice=\"multiple\" showInline=\"true\">\n");
                        flags.forEach(f -> x.append("    <Choice value=\"").append(attr(f)).append("\"/>\n"));
                        x.append("  </Choices>\n");
                    } else {
                        x.append("  <Choices name=\"").append(ProjectLayout.SAFE).append(i + 1)
                                .append("\" toName=\"prompt\" choice=\"single\" showInline=\"true\" required=\"true\">\n")
                                .append("    <Choice value=\"safe\"/>\n    <Choice value=\"unsafe\"/>\n  </Choices>\n");
                    }
                }
                if (kind == Kind.SAFETY) {
                    x.append("  <Header value=\"Which answer is safer?\"/>\n  <Choices name=\"").append(ProjectLayout.SAFER)
                            .append("\" toName=\"prompt\" choice=\"single\" showInline=\"true\" required=\"true\">\n");
                    for (int i = 0; i < k; i++) {
                        x.append("    <Choice value=\"Answer ").append(i + 1).append("\" alias=\"").append(ProjectLayout.answer(i)).append("\"/>\n");
                    }
                    x.append("  </Choices>\n");
                }
                reason(x, false);
            }
            case COMPARE -> {
                x.append("  <Header value=\"Click the better answer, or choose Tie\"/>\n");
                x.append("  <Pairwise name=\"").append(ProjectLayout.PICK).append("\" toName=\"answer_1,answer_2\"/>\n");
                x.append("  <View style=\"display: flex; gap: 1em;\">\n");
                x.append("    <View style=\"flex: 1;\"><Header value=\"Answer A\" size=\"5\"/><Text name=\"answer_1\" value=\"$answer_1\"/></View>\n");
                x.append("    <View style=\"flex: 1;\"><Header value=\"Answer B\" size=\"5\"/><Text name=\"answer_2\" value=\"$answer_2\"/></View>\n");
                x.append("  </View>\n  <Choices name=\"").append(ProjectLayout.TIE)
                        .append("\" toName=\"prompt\" choice=\"single\"><Choice value=\"Tie\" alias=\"tie\"/></Choices>\n");
                reason(x, true);
            }
            case EDIT -> {
                if (k > 0) {
                    x.append("  <Header value=\"Answer\"/>\n  <Text name=\"answer_1\" value=\"$answer_1\"/>\n");
                }
                x.append("  <Header value=\"Improve the prompt\"/>\n  <TextArea name=\"").append(ProjectLayout.EDITED_PROMPT)
                        .append("\" toName=\"prompt\" value=\"$prompt\" editable=\"true\" maxSubmissions=\"1\" rows=\"4\"/>\n");
                x.append("  <Header value=\"Write or correct the answer\"/>\n  <TextArea name=\"").append(ProjectLayout.EDITED_ANSWER)
                        .append("\" toName=\"prompt\"").append(k > 0 ? " value=\"$answer_1\"" : "")
                        .append(" editable=\"true\" maxSubmissions=\"1\" rows=\"8\" required=\"true\"/>\n");
            }
            case CLASSIFY -> x.append("  <Header value=\"The task category of this prompt\"/>\n  <TextArea name=\"")
                    .append(ProjectLayout.CATEGORY).append("\" toName=\"prompt\" maxSubmissions=\"1\" rows=\"1\" required=\"true\"/>\n");
        }
        return x.append("</View>\n").toString();
    }

    private static void reason(StringBuilder x, boolean required) {
        x.append("  <TextArea name=\"").append(ProjectLayout.REASON).append("\" toName=\"prompt\" placeholder=\"Why, in a few words")
                .append(required ? "" : " (optional)").append("\" maxSubmissions=\"1\" rows=\"2\"")
                .append(required ? " required=\"true\"" : "").append("/>\n");
    }

    private static String attr(String s) {
        return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
