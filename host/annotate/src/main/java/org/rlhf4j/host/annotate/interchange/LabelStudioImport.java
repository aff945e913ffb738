package org.rlhf4j.host.annotate.interchange;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.annotate.interchange.ProjectLayout.Answer;
import org.rlhf4j.host.annotate.store.AnnotationStore;

/**
 * Imports a Label Studio project exported as JSON (Export, format "JSON": an array of tasks, each with its
 * {@code data} and {@code annotations}, every annotation with {@code completed_by} and a {@code result} list;
 * see https://labelstud.io/guide/task_format and https://labelstud.io/guide/export). Result items by
 * {@code type}:
 * <ul>
 *   <li>{@code ranker} ({@code value.ranker}: item ids best first, or buckets of ids; in buckets named
 *       {@code rank_1}, {@code rank_2} ... or, otherwise, in the order given; answers in one bucket are tied);</li>
 *   <li>{@code pairwise} ({@code value.selected}: {@code left} or {@code right});</li>
 *   <li>{@code rating} ({@code value.rating}, 1-7) from {@code rating_N}, or to the answer its {@code to_name} names;</li>
 *   <li>{@code choices}: {@code tie} (a tie of two), {@code safer} (an answer), {@code category}, {@code safe_N}
 *       ({@code safe} or {@code unsafe}), {@code flags_N};</li>
 *   <li>{@code textarea}: {@code edited_prompt}, {@code edited_answer}, {@code reason}, {@code category}.</li>
 * </ul>
 * Cancelled (skipped) annotations and tasks without annotations bring no label. Any other result type or
 * control name, or a malformed task, fails naming the file, the task's index and id.
 */
public final class LabelStudioImport {

    static final String TOOL = "label-studio";

    private LabelStudioImport() {
    }

    /** Imports {@code file} into {@code store}. */
    public static StoreImport.Counts run(Path file, AnnotationStore store, ProjectLayout layout, Map<String, String> annotators) {
        JsonNode root = JsonFiles.read(file);
        if (!root.isArray()) {
            throw new StageFailure(file + ": a Label Studio JSON export is an array of tasks (export with format JSON,"
                    + " not JSON_MIN or CSV)");
        }
        StoreImport into = new StoreImport(store, TOOL, file, layout, annotators);
        String base = file.getFileName().toString().replaceFirst("\\.json$", "");
        for (int i = 0; i < root.size(); i++) {
            JsonNode task = root.get(i);
            String where = file + ": task " + i + (task.hasNonNull("id") ? " (id " + task.get("id").asText() + ")" : "");
            if (!task.path("data").isObject()) {
                throw new StageFailure(where + ": no \"data\" object");
            }
            JsonNode data = task.get("data");
            String shownId = data.hasNonNull(ProjectLayout.TASK_ID) ? data.get(ProjectLayout.TASK_ID).asText() : null;
            String defaultId = TOOL + ":" + base + ":" + (task.hasNonNull("id") ? task.get("id").asText() : String.valueOf(i));
            into.item(shownId, defaultId, data, where, shown -> annotations(task.path("annotations"), shown, into, where));
        }
        return into.write();
    }

    private static List<StoreImport.Drafted> annotations(JsonNode annotations, List<Answer> shown, StoreImport into, String where) {
        List<StoreImport.Drafted> out = new ArrayList<>();
        if (!annotations.isMissingNode() && !annotations.isArray()) {
            throw new StageFailure(where + ": \"annotations\" must be an array");
        }
        for (int j = 0; j < annotations.size(); j++) {
            JsonNode a = annotations.get(j);
            String at = where + ", annotation " + j + (a.hasNonNull("id") ? " (id " + a.get("id").asText() + ")" : "");
            if (a.path("was_cancelled").asBoolean(false) || a.path("result").isEmpty()) {
                continue;
            }
            if (!a.get("result").isArray()) {
                throw new StageFailure(at + ": \"result\" must be an array");
            }
            LabelDraft draft = new LabelDraft(shown.size(), at);
            for (JsonNode r : a.get("result")) {
                result(r, shown, draft, at);
            }
            out.add(new StoreImport.Drafted(draft, into.annotator(user(a.get("completed_by"), at)),
                    a.hasNonNull("id") ? a.get("id").asText() : "a" + j));
        }
        return out;
    }

    /** {@code completed_by}: a user id, or (older exports) the user as an object with id and e-mail. */
    private static String user(JsonNode by, String at) {
        if (by != null && (by.isInt() || by.isTextual())) {
            return by.asText();
        }
        if (by != null && by.isObject() && (by.hasNonNull("email") || by.hasNonNull("id"))) {
            return by.hasNonNull("email") ? by.get("email").asText() : by.get("id").asText();
        }
        throw new StageFailure(at + ": no \"completed_by\" naming who annotated it");
    }

    private static void result(JsonNode r, List<Answer> shown, LabelDraft draft, String at) {
        String type = r.path("type").asText("");
        String name = r.path("from_name").asText("");
        JsonNode value = r.path("value");
        String here = at + ", result " + type + " '" + name + "'";
        switch (type) {
            case "ranker" -> draft.ranking(ranking(value.path("ranker"), shown, here));
            case "pairwise" -> {
                String s = value.path("selected").asText("");
                switch (s) {
                    case "left" -> draft.pick(0);
                    case "right" -> draft.pick(1);
                    default -> throw new StageFailure(here + ": value.selected must be left or right, got '" + s + "'");
                }
            }
            case "rating" -> {
                int answer = ProjectLayout.numbered(name, ProjectLayout.RATING);
                if (answer < 0) {
                    answer = ProjectLayout.indexOf(shown, r.path("to_name").asText(""), here + " (neither rating_N nor to_name names an answer)");
                }
                if (answer >= shown.size() || !value.path("rating").canConvertToInt()) {
                    throw new StageFailure(here + ": needs an integer value.rating for one of the " + shown.size() + " answers");
                }
                draft.rating(answer, value.get("rating").asInt(), here);
            }
            case "choices" -> choices(name, strings(value.path("choices"), "value.choices", here), shown, draft, here);
            case "textarea" -> {
                String text = String.join("\n", strings(value.path("text"), "value.text", here));
                switch (name) {
                    case ProjectLayout.EDITED_PROMPT -> draft.editedPrompt(text);
                    case ProjectLayout.EDITED_ANSWER -> draft.editedAnswer(text);
                    case ProjectLayout.REASON -> draft.reason(text);
                    case ProjectLayout.CATEGORY -> draft.category(text);
                    default -> throw new StageFailure(here + ": a textarea is imported from edited_prompt, edited_answer, reason"
                            + " or category");
                }
            }
            default -> throw new StageFailure(here + ": result type '" + type + "' is not imported (ranker, pairwise, rating,"
                    + " choices and textarea are)");
        }
    }

    private static void choices(String name, List<String> chosen, List<Answer> shown, LabelDraft draft, String here) {
        int safe = ProjectLayout.numbered(name, ProjectLayout.SAFE);
        int flags = ProjectLayout.numbered(name, ProjectLayout.FLAGS);
        if (safe >= 0 || flags >= 0) {
            int answer = Math.max(safe, flags);
            if (answer >= shown.size()) {
                throw new StageFailure(here + ": the task has " + shown.size() + " answers");
            }
            if (flags >= 0) {
                draft.flags(answer, chosen);
                return;
            }
            String s = chosen.isEmpty() ? "" : chosen.get(0).toLowerCase(Locale.ROOT);
            if (!s.equals("safe") && !s.equals("unsafe")) {
                throw new StageFailure(here + ": choose safe or unsafe, got " + chosen);
            }
            draft.safe(answer, s.equals("safe"));
            return;
        }
        switch (name) {
            case ProjectLayout.TIE -> {
                if (chosen.stream().anyMatch(c -> c.equalsIgnoreCase(ProjectLayout.TIE))) {
                    draft.tie();
                }
            }
            case ProjectLayout.SAFER -> draft.safer(ProjectLayout.indexOf(shown, single(chosen, here), here));
            case ProjectLayout.CATEGORY -> draft.category(single(chosen, here));
            default -> throw new StageFailure(here + ": choices are imported from tie, safer, category, safe_N and flags_N");
        }
    }

    /** A Ranker's value: ids in order, or buckets of ids (rank_N buckets by N, others in the order given). */
    private static List<List<Integer>> ranking(JsonNode ranker, List<Answer> shown, String here) {
        List<List<Integer>> groups = new ArrayList<>();
        if (ranker.isArray()) {
            for (String id : strings(ranker, "value.ranker", here)) {
                groups.add(List.of(ProjectLayout.indexOf(shown, id, here)));
            }
            return groups;
        }
        if (!ranker.isObject()) {
            throw new StageFailure(here + ": value.ranker must be an array of ids or an object of buckets");
        }
        List<String> buckets = new ArrayList<>();
        ranker.fieldNames().forEachRemaining(b -> {
            if (!b.equals("_")) {
                buckets.add(b);
            }
        });
        if (buckets.stream().allMatch(b -> ProjectLayout.numbered(b, "rank_") >= 0)) {
            buckets.sort(Comparator.comparingInt(b -> ProjectLayout.numbered(b, "rank_")));
        }
        for (String b : buckets) {
            List<Integer> group = new ArrayList<>();
            for (String id : strings(ranker.get(b), "value.ranker." + b, here)) {
                group.add(ProjectLayout.indexOf(shown, id, here));
            }
            groups.add(group);
        }
        return groups;
    }

    private static List<String> strings(JsonNode array, String field, String here) {
        if (!array.isArray()) {
            throw new StageFailure(here + ": " + field + " must be an array");
        }
        List<String> out = new ArrayList<>();
        array.forEach(x -> out.add(x.asText()));
        return out;
    }

    private static String single(List<String> chosen, String here) {
        if (chosen.size() != 1) {
            throw new StageFailure(here + ": choose exactly one, got " + chosen);
        }
        return chosen.get(0);
    }
}
