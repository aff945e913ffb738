package org.rlhf4j.host.annotate.interchange;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rlhf4j.api.stage.StageFailure;

/** Reads and writes the JSON files of exported projects; a file that cannot be read or parsed fails naming it. */
final class JsonFiles {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonFiles() {
    }

    static JsonNode read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new StageFailure("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static JsonNode parse(String text, String where) {
        try {
            JsonNode n = JSON.readTree(text);
            if (n == null) {
                throw new StageFailure(where + ": empty, not JSON");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new StageFailure(where + ": not JSON: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : ""));
        }
    }

    static void write(Path file, Object value) {
        writeText(file, pretty(value) + "\n");
    }

    static String pretty(Object value) {
        try {
            return PRETTY.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    static void writeText(Path file, String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StageFailure("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
