package org.rlhf4j.host.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
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

    /** One record as one line of JSON (no newline). */
    public static String toLine(Record r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", r.id());
        o.put("kind", r.kind().name().toLowerCase(Locale.ROOT));
        o.put("text", r.text());
        ArrayNode msgs = o.putArray("messages");
        for (Message m : r.messages()) {
            msgs.addObject().put("role", m.role().name().toLowerCase(Locale.ROOT)).put("content", m.content());
        }
        ArrayNode answers = o.putArray("answers");
        r.answers().forEach(answers::add);
        ObjectNode meta = o.putObject("meta");
        new java.util.TreeMap<>(r.meta()).forEach(meta::put);
        if (r.provenance() != null) {
            o.put("source", r.provenance().source());
            o.put("file", r.provenance().file());
            o.put("line", r.provenance().line());
        }
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses one line written by {@link #toLine}; {@code where} names the file and line in errors. */
    public static Record fromLine(String line, String where) {
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
