package org.rlhf4j.host.evaluate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rlhf4j.api.data.Message;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.classify.CategoryLabels;

/**
 * The evaluation prompts with their categories: PROMPT records (the text is the user's turn), CONVERSATION
 * records (the turns before the last assistant turns are the prompt, that answer the reference) and
 * PREFERENCE records (the chosen answer is the reference). Categories are mapped onto the run's categories
 * as the classify stage maps them ({@link CategoryLabels}), so "open qa" counts as open-qa.
 */
public final class EvalSet {

    /** The category of a record that carries none. */
    public static final String UNCATEGORISED = "uncategorised";

    /**
     * One evaluation prompt.
     *
     * @param messages the conversation to answer
     * @param prompt the last turn's text (what a reward model sees as the prompt)
     * @param reference the reference answer, or null
     * @param source the name of the source it was read from ("" when unknown)
     */
    public record Item(String id, List<Message> messages, String prompt, String reference, String category,
                       Map<String, String> meta, String where, String source) {
    }

    private final List<Item> items;

    private EvalSet(List<Item> items) {
        this.items = List.copyOf(items);
    }

    /** The prompts among {@code records} (what StageInputs read); none at all fails the stage. */
    public static EvalSet of(List<Record> records, CategoryLabels labels, String stage) {
        List<Item> out = new ArrayList<>();
        for (Record r : records) {
            Item item = item(r, labels, r.provenance() != null ? r.provenance().toString() : "record " + r.id());
            if (item != null) {
                out.add(item);
            }
        }
        if (out.isEmpty()) {
            throw new StageFailure("stage " + stage + ": no evaluation prompts (PROMPT, CONVERSATION or PREFERENCE records)"
                    + " among the " + records.size() + " records of evaluate.input, files and sources");
        }
        return new EvalSet(out);
    }

    /** The evaluation prompt a record holds, or null when it holds none (a DOCUMENT). */
    public static Item item(Record r, CategoryLabels labels, String where) {
        List<Message> messages;
        String reference = null;
        switch (r.kind()) {
            case PROMPT -> messages = r.messages().isEmpty() ? List.of(Message.user(r.text())) : r.messages();
            case CONVERSATION -> {
                int end = r.messages().size();
                while (end > 0 && r.messages().get(end - 1).role() == Message.Role.ASSISTANT) {
                    end--;
                }
                if (end < r.messages().size()) {
                    reference = r.messages().get(end).content();
                }
                messages = r.messages().subList(0, end);
            }
            case PREFERENCE -> {
                messages = r.messages();
                reference = r.answers().isEmpty() ? null : r.answers().get(0);
            }
            default -> {
                return null;
            }
        }
        if (messages.isEmpty()) {
            return null;
        }
        String category = category(r.meta(), labels);
        Map<String, String> meta = new TreeMap<>(r.meta());
        meta.put("category", category);
        return new Item(r.id(), List.copyOf(messages), messages.get(messages.size() - 1).content(), reference, category,
                Map.copyOf(meta), where, r.provenance() != null && r.provenance().source() != null ? r.provenance().source() : "");
    }

    /**
     * A record's category as the classify stage reads it: the label a data source kept
     * ({@code category-label}), else {@code category}, mapped onto the run's categories; an unknown label
     * stays as it is, a missing one is {@link #UNCATEGORISED}.
     */
    static String category(Map<String, String> meta, CategoryLabels labels) {
        String raw = meta.get("category-label");
        if (raw == null || raw.isBlank()) {
            raw = meta.get("category");
        }
        String mapped = labels.map(raw);
        return mapped != null ? mapped : raw == null || raw.isBlank() ? UNCATEGORISED : raw;
    }

    /**
     * Fails naming every category of {@code required} that has fewer than {@code min} prompts, with its count,
     * so the evaluation never silently skips a task the model must handle.
     */
    public void requireCoverage(List<String> required, int min, String stage) {
        Map<String, Integer> counts = counts();
        List<String> missing = new ArrayList<>();
        for (String c : required) {
            int n = counts.getOrDefault(c, 0);
            if (n < min) {
                missing.add(c + " (" + n + ")");
            }
        }
        if (!missing.isEmpty()) {
            throw new StageFailure("stage " + stage + ": the evaluation set must cover every category with at least " + min
                    + " prompt(s); missing or short: " + String.join(", ", missing) + ". Add prompts of these categories"
                    + " (split.eval-min-per-category, or evaluate.files), or narrow evaluate.categories");
        }
    }

    /**
     * The first {@code max} prompts of each category from each source, in file order ({@code max} 0: all). Per
     * source, so that a later source (task questions with expected answers, harmful requests) is not crowded
     * out by an earlier one that already fills every category.
     */
    public EvalSet capped(int max) {
        if (max <= 0) {
            return this;
        }
        Map<String, Integer> taken = new TreeMap<>();
        List<Item> out = new ArrayList<>();
        for (Item i : items) {
            if (taken.merge(i.source() + "\u0000" + i.category(), 1, Integer::sum) <= max) {
                out.add(i);
            }
        }
        return new EvalSet(out);
    }

    public List<Item> items() {
        return items;
    }

    /** Prompts per category, categories in order of first appearance. */
    public Map<String, Integer> counts() {
        Map<String, Integer> out = new LinkedHashMap<>();
        items.forEach(i -> out.merge(i.category(), 1, Integer::sum));
        return out;
    }
}
