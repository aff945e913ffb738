package org.rlhf4j.host.annotate.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.rlhf4j.api.annotate.Label;
import org.rlhf4j.api.data.Message;

/**
 * The JSON a {@link Label} is stored as (and the task fields beside it): the {@code body} column of
 * {@code labels}, the same field names the web API uses.
 */
public final class LabelCodec {

    static final ObjectMapper JSON = new ObjectMapper();

    private LabelCodec() {
    }

    /** The stored body of a label (everything but task and annotator, which have their own columns). */
    public static String body(Label label) {
        ObjectNode o = JSON.createObjectNode();
        label.ranks().forEach(o.putArray("ranks")::add);
        label.ratings().forEach(o.putArray("ratings")::add);
        var flags = o.putArray("flags");
        label.flags().forEach(f -> f.forEach(flags.addArray()::add));
        label.safe().forEach(o.putArray("safe")::add);
        if (label.category() != null) {
            o.put("category", label.category());
        }
        if (label.reason() != null) {
            o.put("reason", label.reason());
        }
        new TreeMap<>(label.meta()).forEach(o.putObject("meta")::put);
        return write(o);
    }

    /** A label back from its stored body. */
    public static Label label(String taskId, String annotator, String body) {
        JsonNode o = read(body);
        List<List<String>> flags = new ArrayList<>();
        for (JsonNode f : o.path("flags")) {
            List<String> one = new ArrayList<>();
            f.forEach(x -> one.add(x.asText()));
            flags.add(one);
        }
        Map<String, String> meta = new TreeMap<>();
        o.path("meta").fields().forEachRemaining(e -> meta.put(e.getKey(), e.getValue().asText()));
        return new Label(taskId, annotator, ints(o.path("ranks")), ints(o.path("ratings")), flags,
                bools(o.path("safe")), o.hasNonNull("category") ? o.get("category").asText() : null,
                o.hasNonNull("reason") ? o.get("reason").asText() : null, meta);
    }

    static List<Integer> ints(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        array.forEach(x -> out.add(x.asInt()));
        return out;
    }

    private static List<Boolean> bools(JsonNode array) {
        List<Boolean> out = new ArrayList<>();
        array.forEach(x -> out.add(x.asBoolean()));
        return out;
    }

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt JSON in the annotation store: " + e.getOriginalMessage(), e);
        }
    }

    static List<String> strings(String jsonArray) {
        try {
            return JSON.readValue(jsonArray, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt JSON in the annotation store: " + e.getOriginalMessage(), e);
        }
    }

    static Map<String, String> stringMap(String jsonObject) {
        try {
            return JSON.readValue(jsonObject, new TypeReference<Map<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt JSON in the annotation store: " + e.getOriginalMessage(), e);
        }
    }

    /** Conversation turns as a JSON array of {@code {"role": "user", "content": ...}} (roles in lower case). */
    static String conversation(List<Message> turns) {
        List<Map<String, String>> out = new ArrayList<>();
        for (Message m : turns) {
            Map<String, String> turn = new LinkedHashMap<>();
            turn.put("role", m.role().name().toLowerCase(Locale.ROOT));
            turn.put("content", m.content());
            out.add(turn);
        }
        return write(out);
    }

    static List<Message> conversation(String jsonArray) {
        List<Message> out = new ArrayList<>();
        for (JsonNode m : read(jsonArray)) {
            out.add(new Message(Message.Role.valueOf(m.path("role").asText().toUpperCase(Locale.ROOT)), m.path("content").asText()));
        }
        return out;
    }
}
