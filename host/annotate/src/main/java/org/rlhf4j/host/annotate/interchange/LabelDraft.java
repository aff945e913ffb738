package org.rlhf4j.host.annotate.interchange;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rlhf4j.api.annotate.AnnotationTask;
import org.rlhf4j.api.annotate.AnnotationTask.Kind;
import org.rlhf4j.api.annotate.Label;
import org.rlhf4j.api.stage.StageFailure;

/**
 * What one person said about one task in another tool, gathered piece by piece (a ranking, per-answer ratings,
 * a pick of two, edited texts ...) in the order the answers were shown there, then checked against the task
 * and turned into a {@link Label} in the task's stored answer order. Ranks follow the store's convention:
 * 1 = best, tied answers share a number, no number skipped.
 */
final class LabelDraft {

    private final String where;
    private final int k;
    private List<Integer> ranks = List.of();
    /** True when the ranks came from a pick of two or a tie (a comparison), not from a ranking. */
    private boolean picked;
    private final Map<Integer, Integer> ratings = new TreeMap<>();
    private final Map<Integer, List<String>> flags = new TreeMap<>();
    private final Map<Integer, Boolean> safe = new TreeMap<>();
    private Integer safer;
    private String category;
    private String reason;
    private String editedPrompt;
    private String editedAnswer;

    /** A draft for a task with {@code k} answers; {@code where} names the file, task and annotation in errors. */
    LabelDraft(int k, String where) {
        this.k = k;
        this.where = where;
    }

    /** A ranking as groups of answer indexes, best group first; answers in one group are tied. Every answer once. */
    void ranking(List<List<Integer>> groups) {
        Integer[] r = new Integer[k];
        int rank = 0;
        for (List<Integer> group : groups) {
            if (group.isEmpty()) {
                continue;
            }
            rank++;
            for (int i : group) {
                if (r[i] != null) {
                    throw new StageFailure(where + ": the ranking places " + ProjectLayout.answer(i) + " twice");
                }
                r[i] = rank;
            }
        }
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            if (r[i] == null) {
                missing.add(ProjectLayout.answer(i));
            }
        }
        if (!missing.isEmpty()) {
            throw new StageFailure(where + ": the ranking leaves " + missing + " unranked: every answer needs a rank");
        }
        set("a ranking", List.of(r));
    }

    /** Ranks as numbers per answer (1 = best, equal numbers tie), renumbered 1, 2, 3 ... without gaps. */
    void ranks(Map<Integer, Integer> byAnswer) {
        TreeMap<Integer, List<Integer>> byRank = new TreeMap<>();
        byAnswer.forEach((answer, rank) -> byRank.computeIfAbsent(rank, x -> new ArrayList<>()).add(answer));
        ranking(new ArrayList<>(byRank.values()));
    }

    /** One of two answers picked as better. */
    void pick(int better) {
        requireTwo("a pick of the better answer");
        set("a pick", better == 0 ? List.of(1, 2) : List.of(2, 1));
        picked = true;
    }

    /** Two answers judged equally good. */
    void tie() {
        requireTwo("a tie");
        set("a tie", List.of(1, 1));
        picked = true;
    }

    /** A 1-7 rating of one answer; {@code here} names the control it came from. */
    void rating(int answer, int value, String here) {
        if (value < 1 || value > 7) {
            throw new StageFailure(here + ": rating " + value + " of " + ProjectLayout.answer(answer)
                    + " is outside the store's scale 1-7");
        }
        ratings.put(answer, value);
    }

    void flags(int answer, List<String> names) {
        flags.put(answer, List.copyOf(names));
    }

    void safe(int answer, boolean isSafe) {
        safe.put(answer, isSafe);
    }

    void safer(int answer) {
        safer = answer;
    }

    void category(String c) {
        category = c;
    }

    void reason(String r) {
        reason = r;
    }

    void editedPrompt(String p) {
        editedPrompt = p;
    }

    void editedAnswer(String a) {
        editedAnswer = a;
    }

    /** The kind of task these pieces answer, for an item that does not say its kind. */
    Kind guessKind() {
        if (editedAnswer != null || editedPrompt != null) {
            return Kind.EDIT;
        }
        if (!safe.isEmpty() || safer != null) {
            return Kind.SAFETY;
        }
        if (category != null && ranks.isEmpty() && ratings.isEmpty()) {
            return Kind.CLASSIFY;
        }
        return picked && ratings.isEmpty() && flags.isEmpty() ? Kind.COMPARE : Kind.RANK;
    }

    /**
     * The label of {@code annotator} for {@code task}, whose answers were shown in {@code order} (display position
     * to stored index). Fails when it lacks what the task's kind needs or covers only some answers.
     */
    Label toLabel(AnnotationTask task, List<Integer> order, String annotator) {
        Map<String, String> meta = new TreeMap<>();
        switch (task.kind()) {
            case RANK -> require(!ranks.isEmpty() || !ratings.isEmpty(), "a ranking or ratings");
            case COMPARE -> require(!ranks.isEmpty(), "a pick of the better answer or a tie");
            case SAFETY -> require(!ranks.isEmpty() || !safe.isEmpty() || safer != null, "a ranking, safe/unsafe or the safer answer");
            case CLASSIFY -> require(category != null && !category.isBlank(), "a category");
            case EDIT -> {
                require(editedAnswer != null && !editedAnswer.isBlank(), "the edited answer (" + ProjectLayout.EDITED_ANSWER + ")");
                meta.put("prompt", editedPrompt == null || editedPrompt.isBlank() ? task.prompt() : editedPrompt);
                meta.put("answer", editedAnswer);
            }
        }
        if (safer != null) {
            meta.put("safer", String.valueOf(order.get(safer)));
        }
        return new Label(task.id(), annotator, stored(ranks, order), stored(full(ratings, "ratings"), order),
                stored(flagLists(), order), stored(full(safe, "safe/unsafe"), order), category, reason, meta);
    }

    private void require(boolean ok, String what) {
        if (!ok) {
            throw new StageFailure(where + ": no " + what + " in this annotation");
        }
    }

    private void requireTwo(String what) {
        if (k != 2) {
            throw new StageFailure(where + ": " + what + " needs a task with two answers, this one has " + k);
        }
    }

    private void set(String what, List<Integer> r) {
        if (!ranks.isEmpty() && !ranks.equals(r)) {
            throw new StageFailure(where + ": " + what + " contradicts the ranking given before it (" + ranks + " vs " + r + ")");
        }
        ranks = r;
    }

    /** Flags per answer once any answer has some (a tool sends nothing for an answer without flags), else none. */
    private List<List<String>> flagLists() {
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < k && !flags.isEmpty(); i++) {
            out.add(flags.getOrDefault(i, List.of()));
        }
        return out;
    }

    /** Per-answer values as a list, empty when none; fails when only some answers have one. */
    private <T> List<T> full(Map<Integer, T> byAnswer, String what) {
        if (byAnswer.isEmpty()) {
            return List.of();
        }
        if (byAnswer.size() != k) {
            List<String> given = byAnswer.keySet().stream().map(ProjectLayout::answer).toList();
            throw new StageFailure(where + ": " + what + " given for " + given + " only: give them for all " + k + " answers or none");
        }
        return new ArrayList<>(byAnswer.values());
    }

    /** Display-order values in stored order. */
    private static <T> List<T> stored(List<T> display, List<Integer> order) {
        if (display.isEmpty()) {
            return display;
        }
        List<T> out = new ArrayList<>(Collections.nCopies(display.size(), null));
        for (int d = 0; d < display.size(); d++) {
            out.set(order.get(d), display.get(d));
        }
        return out;
    }
}
