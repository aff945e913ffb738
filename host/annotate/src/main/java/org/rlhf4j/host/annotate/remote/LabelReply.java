package org.rlhf4j.host.annotate.remote;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rlhf4j.api.annotate.AnnotationTask;
import org.rlhf4j.api.annotate.Label;

/**
 * Reads a remote annotator's answer ({@code ranks}, {@code ratings}, {@code flags}, {@code safe},
 * {@code safer}, {@code category}, {@code reason}, {@code prompt}, {@code answer}) into a {@link Label},
 * checking every field against the task. Anything missing or out of range is a {@link Malformed} reply:
 * no field is guessed or defaulted.
 */
final class LabelReply {

    /** A reply that does not say what the task asks, or says it wrongly. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message);
        }
    }

    private LabelReply() {
    }

    static Label read(JsonNode o, AnnotationTask task, String annotator) throws Malformed {
        if (o == null || !o.isObject()) {
            throw new Malformed("the reply is not a JSON object");
        }
        int k = task.answers().size();
        Map<String, String> meta = new TreeMap<>();
        List<Integer> ranks = ints(o, "ranks", k, 1, k);
        List<Integer> ratings = ints(o, "ratings", k, 1, 7);
        List<Boolean> safe = new ArrayList<>();
        if (o.has("safe")) {
            JsonNode s = o.get("safe");
            if (!s.isArray() || s.size() != k) {
                throw new Malformed("\"safe\" must list true/false for each of the " + k + " answers");
            }
            for (JsonNode v : s) {
                if (!v.isBoolean()) {
                    throw new Malformed("\"safe\" holds " + v + ", not true or false");
                }
                safe.add(v.asBoolean());
            }
        }
        List<List<String>> flags = new ArrayList<>();
        if (o.has("flags")) {
            JsonNode f = o.get("flags");
            if (!f.isArray() || f.size() != k) {
                throw new Malformed("\"flags\" must list one array of flags per answer (" + k + ")");
            }
            for (JsonNode one : f) {
                List<String> names = new ArrayList<>();
                one.forEach(n -> names.add(n.asText()));
                flags.add(names);
            }
        }
        if (o.has("safer")) {
            if (!o.get("safer").isInt() || o.get("safer").asInt() < 0 || o.get("safer").asInt() >= k) {
                throw new Malformed("\"safer\" must be an answer index 0.." + (k - 1));
            }
            meta.put("safer", String.valueOf(o.get("safer").asInt()));
        }
        String category = o.hasNonNull("category") ? o.get("category").asText() : null;
        String reason = o.hasNonNull("reason") ? o.get("reason").asText() : null;
        switch (task.kind()) {
            case RANK, COMPARE -> require(!ranks.isEmpty(), "\"ranks\" is missing");
            case SAFETY -> require(safe.size() == k && meta.containsKey("safer"), "\"safe\" and \"safer\" are required");
            case CLASSIFY -> require(category != null && !category.isBlank(), "\"category\" is missing");
            case EDIT -> {
                require(o.hasNonNull("prompt") && o.hasNonNull("answer"), "\"prompt\" and \"answer\" are required");
                meta.put("prompt", o.get("prompt").asText());
                meta.put("answer", o.get("answer").asText());
            }
        }
        return new Label(task.id(), annotator, ranks, ratings, flags, safe, category, reason, meta);
    }

    private static void require(boolean ok, String message) throws Malformed {
        if (!ok) {
            throw new Malformed(message);
        }
    }

    private static List<Integer> ints(JsonNode o, String field, int k, int min, int max) throws Malformed {
        List<Integer> out = new ArrayList<>();
        if (!o.has(field) || o.get(field).isNull()) {
            return out;
        }
        JsonNode a = o.get(field);
        if (!a.isArray() || a.size() != k) {
            throw new Malformed("\"" + field + "\" must list one value for each of the " + k + " answers, got " + a);
        }
        for (JsonNode v : a) {
            if (!v.isInt() || v.asInt() < min || v.asInt() > max) {
                throw new Malformed("\"" + field + "\" holds " + v + ", outside " + min + ".." + max);
            }
            out.add(v.asInt());
        }
        return out;
    }
}
