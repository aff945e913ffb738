package org.rlhf4j.host.records;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.rlhf4j.api.data.Message;
import org.rlhf4j.api.data.Provenance;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.stage.StageFailure;

/**
 * The run directory's record format: one {@link Record} per JSON line, as every data stage writes it
 * ({@code data/acquired.jsonl}, {@code data/filtered.jsonl} ...) and the training stages read it.
 *
 * <pre>{"id":"qs:12","kind":"conversation","text":"","messages":[{"role":"user","content":"..."},
 *  {"role":"assistant","content":"..."}],"answers":[],"meta":{"lang":"en"},
 *  "source":"quickstart","file":"sft.jsonl","line":12}</pre>
 */
public final class RecordJsonl {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordJsonl() {
    }

    /** One record as one line of JSON (no newline). Streamed: the same bytes Jackson's tree writer gives. */
    public static String toLine(Record r) {
        StringWriter out = new StringWriter(r.text().length() + 128);
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            writeFields(g, r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * Writes {@link #toLine}'s line, UTF-8 encoded, and a line separator to {@code out} (which stays open): what a
     * UTF-8 writer would write, encoded in one step (a lone surrogate, which has no UTF-8 form, becomes '?').
     */
    public static void write(Record r, OutputStream out) throws IOException {
        out.write(toLine(r).getBytes(StandardCharsets.UTF_8));
        out.write(LINE_SEPARATOR);
    }

    private static final byte[] LINE_SEPARATOR = System.lineSeparator().getBytes(StandardCharsets.UTF_8);

    private static void writeFields(JsonGenerator g, Record r) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", r.id());
        g.writeStringField("kind", r.kind().name().toLowerCase(Locale.ROOT));
        g.writeStringField("text", r.text());
        g.writeArrayFieldStart("messages");
        for (Message m : r.messages()) {
            g.writeStartObject();
            g.writeStringField("role", m.role().name().toLowerCase(Locale.ROOT));
            g.writeStringField("content", m.content());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("answers");
        for (String a : r.answers()) {
            g.writeString(a);
        }
        g.writeEndArray();
        g.writeObjectFieldStart("meta");
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(r.meta()).entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        if (r.provenance() != null) {
            g.writeStringField("source", r.provenance().source());
            g.writeStringField("file", r.provenance().file());
            g.writeNumberField("line", r.provenance().line());
        }
        g.writeEndObject();
    }

    /** Parses one line written by {@link #toLine}; {@code where} names the file and line in errors. */
    public static Record fromLine(String line, String where) {
        Record fast = streamed(line);
        return fast != null ? fast : fromTree(line, where);
    }

    /**
     * A line in the shape {@link #toLine} writes (string fields, arrays of strings and of role/content objects, a
     * meta object of strings, a number for line), read as a stream of tokens; null for anything else (other value
     * types, unknown or repeated fields, malformed JSON, unknown kinds or roles), which {@link #fromTree} reads
     * as before, with its conversions and its errors.
     */
    private static Record streamed(String line) {
        String id = null;
        Record.Kind kind = null;
        String text = "";
        List<Message> messages = List.of();
        List<String> answers = List.of();
        Map<String, String> meta = Map.of();
        String source = null;
        String file = "";
        long lineNo = 0;
        int seen = 0;
        try (JsonParser p = JSON.getFactory().createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String name = p.currentName();
                int bit = FIELDS.indexOf(name);
                if (bit < 0 || (seen & 1 << bit) != 0) {
                    return null;
                }
                seen |= 1 << bit;
                JsonToken v = p.nextToken();
                switch (name) {
                    case "messages" -> {
                        messages = messages(p, v);
                        if (messages == null) {
                            return null;
                        }
                    }
                    case "answers" -> {
                        answers = strings(p, v);
                        if (answers == null) {
                            return null;
                        }
                    }
                    case "meta" -> {
                        meta = stringMap(p, v);
                        if (meta == null) {
                            return null;
                        }
                    }
                    case "line" -> {
                        if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT
                                && p.getNumberType() != JsonParser.NumberType.LONG) {
                            return null;
                        }
                        lineNo = p.getLongValue();
                    }
                    default -> {
                        if (v != JsonToken.VALUE_STRING) {
                            return null;
                        }
                        String value = p.getText();
                        switch (name) {
                            case "id" -> id = value;
                            case "kind" -> kind = KINDS.get(value.toUpperCase(Locale.ROOT));
                            case "text" -> text = value;
                            case "source" -> source = value;
                            default -> file = value;
                        }
                    }
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null || id == null || kind == null) {
                return null;
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return new Record(id, kind, text, messages, answers, meta, source == null ? null : new Provenance(source, file, lineNo));
    }

    private static final List<String> FIELDS = List.of("id", "kind", "text", "messages", "answers", "meta", "source", "file", "line");
    private static final Map<String, Record.Kind> KINDS = new java.util.HashMap<>();

    static {
        for (Record.Kind k : Record.Kind.values()) {
            KINDS.put(k.name(), k);
        }
    }

    private static List<Message> messages(JsonParser p, JsonToken start) throws IOException {
        if (start != JsonToken.START_ARRAY) {
            return null;
        }
        List<Message> out = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.START_OBJECT) {
                return null;
            }
            String role = null;
            String content = null;
            for (JsonToken f = p.nextToken(); f == JsonToken.FIELD_NAME; f = p.nextToken()) {
                String name = p.currentName();
                if (p.nextToken() != JsonToken.VALUE_STRING) {
                    return null;
                }
                if (name.equals("role") && role == null) {
                    role = p.getText();
                } else if (name.equals("content") && content == null) {
                    content = p.getText();
                } else {
                    return null;
                }
            }
            Message.Role r = role == null ? null : ROLES.get(role.toUpperCase(Locale.ROOT));
            if (r == null || content == null) {
                return null;
            }
            out.add(new Message(r, content));
        }
        return out;
    }

    private static final Map<String, Message.Role> ROLES = new java.util.HashMap<>();

    static {
        for (Message.Role r : Message.Role.values()) {
            ROLES.put(r.name(), r);
        }
    }

    private static List<String> strings(JsonParser p, JsonToken start) throws IOException {
        if (start != JsonToken.START_ARRAY) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.VALUE_STRING) {
                return null;
            }
            out.add(p.getText());
        }
        return out;
    }

    private static Map<String, String> stringMap(JsonParser p, JsonToken start) throws IOException {
        if (start != JsonToken.START_OBJECT) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String key = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                return null;
            }
            out.put(key, p.getText());
        }
        return out;
    }

    /** The general reader: any JSON object, values converted as Jackson's {@code asText} does. */
    private static Record fromTree(String line, String where) {
        JsonNode o;
        try {
            o = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new StageFailure(where + ": not a JSON record: " + e.getOriginalMessage());
        }
        if (o == null || !o.isObject() || !o.hasNonNull("id") || !o.hasNonNull("kind")) {
            throw new StageFailure(where + ": a record needs at least \"id\" and \"kind\"");
        }
        Record.Kind kind;
        try {
            kind = Record.Kind.valueOf(o.get("kind").asText().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new StageFailure(where + ": unknown kind '" + o.get("kind").asText() + "'");
        }
        List<Message> messages = new ArrayList<>();
        for (JsonNode m : o.path("messages")) {
            messages.add(new Message(Message.Role.valueOf(m.path("role").asText().toUpperCase(Locale.ROOT)),
                    m.path("content").asText()));
        }
        List<String> answers = new ArrayList<>();
        o.path("answers").forEach(a -> answers.add(a.asText()));
        Map<String, String> meta = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = o.path("meta").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            meta.put(e.getKey(), e.getValue().asText());
        }
        Provenance p = o.has("source")
                ? new Provenance(o.path("source").asText(), o.path("file").asText(), o.path("line").asLong()) : null;
        return new Record(o.get("id").asText(), kind, o.path("text").asText(), messages, answers, meta, p);
    }

    /** Streams every record of a file to {@code sink}, failing with file and line on a bad one. */
    public static void read(Path file, Consumer<Record> sink) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long n = 0;
            while ((line = in.readLine()) != null) {
                n++;
                if (!line.isBlank()) {
                    sink.accept(fromLine(line, file + ":" + n));
                }
            }
        } catch (IOException e) {
            throw new StageFailure("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a whole (small) file into a list. */
    public static List<Record> readAll(Path file) {
        List<Record> out = new ArrayList<>();
        read(file, out::add);
        return out;
    }

    /** Writes records to a new file (creating parent folders). */
    public static void write(Path file, Iterable<Record> records) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                for (Record r : records) {
                    out.write(toLine(r));
                    out.newLine();
                }
            }
        } catch (IOException e) {
            throw new StageFailure("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
