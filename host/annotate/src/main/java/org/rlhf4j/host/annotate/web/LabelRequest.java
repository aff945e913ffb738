package org.rlhf4j.host.annotate.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.rlhf4j.api.annotate.AnnotationTask.Kind;
import org.rlhf4j.api.annotate.Label;
import org.rlhf4j.host.annotate.quality.StepCheck;
import org.rlhf4j.host.annotate.settings.AnnotateSettings;
import org.rlhf4j.host.annotate.store.TaskStore.StoredTask;

/**
 * Checks a posted label against its task and turns it into a {@link Label} in the task's stored answer
 * order. Every problem is a 400 naming the field; a label that passes is complete for its kind:
 * <ul>
 *   <li>rank: {@code ranks} (1..K, ties share a number, no number skipped and not all tied unless
 *       {@code annotate.ranks} allows it) and {@code ratings} (1..7) for every answer; optional
 *       {@code flags} (known names) and {@code safe};</li>
 *   <li>safety: {@code ranks} (helpfulness), {@code safe} for every answer and {@code safer} (an index);</li>
 *   <li>compare: {@code ranks} of the two answers ([1,2], [2,1] or [1,1]) and a short {@code reason};</li>
 *   <li>edit: {@code prompt} and {@code answer}; classify: {@code category}.</li>
 * </ul>
 */
final class LabelRequest {

    static final int MAX_REASON = 500;

    private LabelRequest() {
    }

    static Label parse(ObjectNode body, StoredTask stored, String annotator, List<Integer> order, Set<String> knownFlags,
                       StepCheck steps, AnnotateSettings.Ranks rules) {
        var task = stored.task();
        int k = task.answers().size();
        Map<String, String> meta = new TreeMap<>();
        List<Integer> ranks = List.of();
        List<Integer> ratings = List.of();
        List<List<String>> flags = List.of();
        List<Boolean> safe = List.of();
        String reason = text(body, "reason", false);
        String category = null;
        switch (task.kind()) {
            case RANK, SAFETY -> {
                ranks = unpermute(checked(ints(body, "ranks", k, 1, k, true), rules, true), order);
                if (task.kind() == Kind.RANK) {
                    ratings = unpermute(ints(body, "ratings", k, 1, 7, true), order);
                }
                flags = unpermute(flags(body, k, knownFlags), order);
                safe = unpermute(bools(body, "safe", k, task.kind() == Kind.SAFETY), order);
                if (task.kind() == Kind.SAFETY) {
                    JsonNode s = body.get("safer");
                    if (s == null || !s.isInt() || s.asInt() < 0 || s.asInt() >= k) {
                        throw ApiError.badRequest("safer must be the index (0.." + (k - 1) + ") of the safer answer");
                    }
                    meta.put("safer", String.valueOf(order.get(s.asInt())));
                }
            }
            case COMPARE -> {
                ranks = unpermute(checked(ints(body, "ranks", 2, 1, 2, true), rules, false), order);
                if (reason == null || reason.isBlank()) {
                    throw ApiError.badRequest("reason is required: say in a few words why");
                }
            }
            case EDIT -> {
                String prompt = text(body, "prompt", true);
                String answer = text(body, "answer", true);
                meta.put("prompt", prompt);
                meta.put("answer", answer);
                meta.put("steps_missing", String.valueOf(steps.missingSteps(prompt, answer)));
            }
            case CLASSIFY -> category = text(body, "category", true);
        }
        if (reason != null && reason.length() > MAX_REASON) {
            throw ApiError.badRequest("reason is longer than " + MAX_REASON + " characters");
        }
        return new Label(task.id(), annotator, ranks, ratings, flags, safe, category, reason, meta);
    }

    /**
     * {@code ranks} when they follow {@code annotate.ranks}: no number skipped (1, 2, 3 ... with ties sharing one),
     * and, where {@code tiesMatter}, not every answer tied; else a 400 saying what to send.
     */
    static List<Integer> checked(List<Integer> ranks, AnnotateSettings.Ranks rules, boolean tiesMatter) {
        java.util.TreeSet<Integer> used = new java.util.TreeSet<>(ranks);
        if (!rules.allowGaps() && used.last() != used.size()) {
            List<Integer> missing = new ArrayList<>();
            for (int r = 1; r < used.last(); r++) {
                if (!used.contains(r)) {
                    missing.add(r);
                }
            }
            throw ApiError.badRequest("ranks " + ranks + " skip " + missing + ": number them 1, 2, 3 ... with no gaps, tied"
                    + " answers sharing a number (so " + dense(ranks) + "); annotate.ranks.allow-gaps = true accepts gaps");
        }
        if (tiesMatter && !rules.allowAllTied() && ranks.size() > 1 && used.size() == 1) {
            throw ApiError.badRequest("ranks " + ranks + " tie every answer, which says nothing about which is better: rank at"
                    + " least one above another (annotate.ranks.allow-all-tied = true accepts it)");
        }
        return ranks;
    }

    /** The same order with ranks 1, 2, 3 ... and no gaps. */
    private static List<Integer> dense(List<Integer> ranks) {
        List<Integer> distinct = new ArrayList<>(new java.util.TreeSet<>(ranks));
        List<Integer> out = new ArrayList<>();
        ranks.forEach(r -> out.add(distinct.indexOf(r) + 1));
        return out;
    }

    /** A stored label as its annotator submitted it: arrays (and the safer index) in their display order. */
    static Label shown(Label stored, List<Integer> order) {
        Map<String, String> meta = new TreeMap<>(stored.meta());
        if (meta.containsKey("safer")) {
            int s = Integer.parseInt(meta.get("safer"));
            meta.put("safer", String.valueOf(Math.max(0, order.indexOf(s))));
        }
        return new Label(stored.taskId(), stored.annotator(), permute(stored.ranks(), order), permute(stored.ratings(), order),
                permute(stored.flags(), order), permute(stored.safe(), order), stored.category(), stored.reason(), meta);
    }

    /** Stored-order values into display order. */
    private static <T> List<T> permute(List<T> stored, List<Integer> order) {
        if (stored.size() != order.size()) {
            return stored;
        }
        List<T> display = new ArrayList<>();
        for (int i : order) {
            display.add(stored.get(i));
        }
        return display;
    }

    /** Display-order values back into stored order. */
    private static <T> List<T> unpermute(List<T> display, List<Integer> order) {
        if (display.isEmpty()) {
            return display;
        }
        List<T> stored = new ArrayList<>(Collections.nCopies(display.size(), null));
        for (int d = 0; d < display.size(); d++) {
            stored.set(order.get(d), display.get(d));
        }
        return stored;
    }

    private static List<Integer> ints(ObjectNode body, String field, int k, int min, int max, boolean required) {
        JsonNode a = body.get(field);
        if (a == null || a.isNull()) {
            if (required) {
                throw ApiError.badRequest(field + " is required: one value per answer (" + k + ")");
            }
            return List.of();
        }
        if (!a.isArray() || a.size() != k) {
            throw ApiError.badRequest(field + " must list one value per answer (" + k + ")");
        }
        List<Integer> out = new ArrayList<>();
        for (JsonNode v : a) {
            if (!v.isInt() || v.asInt() < min || v.asInt() > max) {
                throw ApiError.badRequest(field + " holds " + v + ": each value must be a whole number from " + min + " to " + max);
            }
            out.add(v.asInt());
        }
        return out;
    }

    private static List<Boolean> bools(ObjectNode body, String field, int k, boolean required) {
        JsonNode a = body.get(field);
        if (a == null || a.isNull()) {
            if (required) {
                throw ApiError.badRequest(field + " is required: true (safe) or false (unsafe) per answer");
            }
            return List.of();
        }
        if (!a.isArray() || a.size() != k) {
            throw ApiError.badRequest(field + " must list one true/false per answer (" + k + ")");
        }
        List<Boolean> out = new ArrayList<>();
        for (JsonNode v : a) {
            if (!v.isBoolean()) {
                throw ApiError.badRequest(field + " holds " + v + ": use true (safe) or false (unsafe)");
            }
            out.add(v.asBoolean());
        }
        return out;
    }

    private static List<List<String>> flags(ObjectNode body, int k, Set<String> known) {
        JsonNode a = body.get("flags");
        if (a == null || a.isNull()) {
            return List.of();
        }
        if (!a.isArray() || a.size() != k) {
            throw ApiError.badRequest("flags must list one array of flags per answer (" + k + ")");
        }
        List<List<String>> out = new ArrayList<>();
        for (JsonNode f : a) {
            if (!f.isArray()) {
                throw ApiError.badRequest("flags must list one array of flags per answer");
            }
            List<String> one = new ArrayList<>();
            for (JsonNode name : f) {
                if (!known.contains(name.asText())) {
                    throw ApiError.badRequest("unknown flag '" + name.asText() + "'; known: " + known);
                }
                one.add(name.asText());
            }
            out.add(one);
        }
        return out;
    }

    private static String text(ObjectNode body, String field, boolean required) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
            if (required) {
                throw ApiError.badRequest(field + " is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw ApiError.badRequest(field + " must be a string");
        }
        return v.asText();
    }
}
