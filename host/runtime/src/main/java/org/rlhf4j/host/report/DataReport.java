package org.rlhf4j.host.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rlhf4j.api.stage.StageContext;
import org.rlhf4j.api.stage.StageFailure;

/**
 * The data report of a run, {@code data/report.json} and {@code data/report.html}: one section per data
 * stage (acquire, filter, classify, split). Each stage loads the report the earlier stages published,
 * sets its own section and writes both files into its staging, so the run directory always holds a
 * complete report of the stages finished so far.
 */
public final class DataReport {

    public static final String JSON_PATH = "data/report.json";
    public static final String HTML_PATH = "data/report.html";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ObjectNode root;

    private DataReport(ObjectNode root) {
        this.root = root;
    }

    /** The report published so far in the run directory (empty when there is none). */
    public static DataReport load(StageContext ctx) {
        Path p = ctx.run().directory().resolve(JSON_PATH);
        if (!Files.isRegularFile(p)) {
            return new DataReport(JSON.createObjectNode());
        }
        try {
            JsonNode n = JSON.readTree(p.toFile());
            return new DataReport(n instanceof ObjectNode o ? o : JSON.createObjectNode());
        } catch (IOException e) {
            throw new StageFailure("cannot read the data report " + p + ": " + e.getMessage(), e);
        }
    }

    /** An empty report (for the bench and tests). */
    public static DataReport empty() {
        return new DataReport(JSON.createObjectNode());
    }

    /** Sets a stage's section (maps, lists, numbers, strings). */
    public void put(String section, Object value) {
        root.set(section, JSON.valueToTree(value));
    }

    public JsonNode section(String name) {
        return root.path(name);
    }

    /** Writes report.json and report.html under the stage's staging directory. */
    public void write(StageContext ctx) {
        write(ctx.staging().resolve(JSON_PATH), ctx.staging().resolve(HTML_PATH), ctx.run().name());
    }

    public void write(Path json, Path html, String runName) {
        try {
            Files.createDirectories(json.getParent());
            Files.writeString(json, JSON.writeValueAsString(root), StandardCharsets.UTF_8);
            Files.writeString(html, HtmlReport.render("Data report: " + runName, root), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StageFailure("cannot write the data report to " + json.getParent() + ": " + e.getMessage(), e);
        }
    }
}
