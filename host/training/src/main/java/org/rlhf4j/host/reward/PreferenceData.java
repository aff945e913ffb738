package org.rlhf4j.host.reward;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.rlhf4j.api.data.Message;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.train.OverLong;
import org.rlhf4j.host.model.tokenizer.ChatTemplate;
import org.rlhf4j.host.model.tokenizer.Tokenizer;

/**
 * Preference pairs for a reward (or cost) model, grouped by prompt: every pair of one prompt stays in
 * one group, and a batch takes whole groups (as InstructGPT trains on all K-choose-2 comparisons of a
 * prompt together, so that one prompt's answers do not overfit across batches).
 *
 * <p>Input: PREFERENCE records whose {@code answers} are (chosen, rejected); {@code meta.group} names the
 * group (the annotate stage's exports), else the prompt's text does. Optional {@code meta.chosen_safe} and
 * {@code meta.rejected_safe} ("true"/"false") label safety for a cost model.
 */
public final class PreferenceData {

    /**
     * One encoded pair. Ids run over prompt and answer; the first {@code promptLength} ids of both are the
     * prompt (the answer's tokens follow); {@code source} names the record for errors.
     */
    public record Pair(int[] chosen, int[] rejected, Boolean chosenSafe, Boolean rejectedSafe, String source,
                       int promptLength) {
    }

    /** The pairs of one prompt. */
    public record Group(String key, List<Pair> pairs) {
    }

    private PreferenceData() {
    }

    /** Encodes and groups the pairs among {@code records}; a sequence longer than the context fails naming its record. */
    public static List<Group> load(List<Record> records, Tokenizer tokenizer, ChatTemplate template, int context, String stage) {
        return load(records, tokenizer, template, context, new OverLong.Tally(stage, OverLong.FAIL));
    }

    /**
     * Encodes and groups the pairs among {@code records}; a pair longer than the context is handled by {@code overLong}:
     * truncated, the same number of tokens cut from the start of both sequences' shared prompt (both answers stay
     * whole and aligned, the prompt's end stays next to them), or dropped when the answers alone do not fit.
     */
    public static List<Group> load(List<Record> records, Tokenizer tokenizer, ChatTemplate template, int context,
                                   OverLong.Tally overLong) {
        String stage = overLong.stage();
        Map<String, List<Pair>> groups = new LinkedHashMap<>();
        for (Record r : records) {
                if (r.kind() != Record.Kind.PREFERENCE) {
                    continue;
                }
                String where = r.provenance() != null ? r.provenance().toString() : "record " + r.id();
                if (r.answers().size() < 2 || r.messages().isEmpty()) {
                    throw new StageFailure("stage " + stage + ": record " + r.id() + " (" + where
                            + ") needs prompt messages and two answers (chosen, rejected)");
                }
                int[] chosen = encode(tokenizer, template, r.messages(), r.answers().get(0));
                int[] rejected = encode(tokenizer, template, r.messages(), r.answers().get(1));
                int promptLength = template.encodePrompt(tokenizer, r.messages()).length;
                int longest = Math.max(chosen.length, rejected.length);
                if (longest > context) {
                    int cut = longest - context;
                    if (!overLong.handle("record " + r.id() + " (" + where + ")", longest, context, cut < promptLength)) {
                        continue;
                    }
                    chosen = Arrays.copyOfRange(chosen, cut, chosen.length);
                    rejected = Arrays.copyOfRange(rejected, cut, rejected.length);
                    promptLength -= cut;
                }
                String key = r.meta().getOrDefault("group", template.text(r.messages()));
                groups.computeIfAbsent(key, k -> new ArrayList<>()).add(new Pair(chosen, rejected,
                        bool(r.meta().get("chosen_safe")), bool(r.meta().get("rejected_safe")), r.id() + " (" + where + ")",
                        promptLength));
        }
        if (groups.isEmpty()) {
            throw new StageFailure("stage " + stage + ": no preference pairs (PREFERENCE records) among the "
                    + records.size() + " records of its input, files and sources");
        }
        List<Group> out = new ArrayList<>();
        groups.forEach((k, v) -> out.add(new Group(k, List.copyOf(v))));
        return out;
    }

    /** The ids of a prompt followed by one answer, as SFT renders a conversation. */
    static int[] encode(Tokenizer tokenizer, ChatTemplate template, List<Message> prompt, String answer) {
        List<Message> conversation = new ArrayList<>(prompt);
        conversation.add(Message.assistant(answer));
        return template.encode(tokenizer, conversation).ids();
    }

    private static Boolean bool(String s) {
        return s == null ? null : Boolean.valueOf(s);
    }

    /** Splits groups into (train, held-out) by a seeded shuffle; at least one group each. */
    public static List<List<Group>> split(List<Group> groups, double heldOutFraction, long seed, String stage) {
        if (groups.size() < 2) {
            throw new StageFailure("stage " + stage + ": " + groups.size() + " prompt group(s) of preference pairs are too"
                    + " few to hold any out; the reward model needs at least 2");
        }
        List<Group> shuffled = new ArrayList<>(groups);
        Collections.shuffle(shuffled, new Random(seed));
        int held = Math.max(1, Math.min(groups.size() - 1, (int) Math.round(groups.size() * heldOutFraction)));
        return List.of(shuffled.subList(held, shuffled.size()), shuffled.subList(0, held));
    }

    /** Cuts shuffled groups into batches of whole groups holding at least {@code pairsPerBatch} pairs each. */
    public static List<List<Pair>> batches(List<Group> groups, int pairsPerBatch, Random rng) {
        List<Group> order = new ArrayList<>(groups);
        Collections.shuffle(order, rng);
        List<List<Pair>> out = new ArrayList<>();
        List<Pair> current = new ArrayList<>();
        for (Group g : order) {
            current.addAll(g.pairs());
            if (current.size() >= pairsPerBatch) {
                out.add(current);
                current = new ArrayList<>();
            }
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }

    /** All pairs of {@code groups}, in order. */
    public static List<Pair> pairs(List<Group> groups) {
        return groups.stream().flatMap(g -> g.pairs().stream()).toList();
    }
}
