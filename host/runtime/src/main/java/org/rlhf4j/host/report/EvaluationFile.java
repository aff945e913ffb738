package org.rlhf4j.host.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where an evaluate instance keeps its {@link Evaluation} ({@code reports/evaluate-<label>.json} in the run
 * directory) and how it is written and read: indented JSON through Jackson, field names as the records
 * declare them. Reading ignores fields the records do not know (a file an older build wrote still reads;
 * what it kept under other names is missing).
 */
public final class EvaluationFile {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private EvaluationFile() {
    }

    /** Where the evaluate instance of {@code label} writes its figures, relative to the run directory. */
    public static String path(String label) {
        return "reports/evaluate-" + label + ".json";
    }

    /** Writes {@code evaluation} to {@code file}, creating its folder. */
    public static void write(Path file, Evaluation evaluation) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), evaluation);
    }

    /** The evaluation in {@code file}; null when there is no such file. */
    public static Evaluation read(Path file) throws IOException {
        return Files.isRegularFile(file) ? JSON.readValue(file.toFile(), Evaluation.class) : null;
    }
}
