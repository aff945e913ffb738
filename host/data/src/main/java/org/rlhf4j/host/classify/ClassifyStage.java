package org.rlhf4j.host.classify;

import org.rlhf4j.host.records.SourceEntries;
import org.rlhf4j.host.records.StageInputs;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import jakarta.inject.Inject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.pf4j.Extension;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Extensions;
import org.rlhf4j.api.RunContext;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.data.DataSource;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.data.RecordStream;
import org.rlhf4j.api.stage.Stage;
import org.rlhf4j.api.stage.StageContext;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.records.RecordJsonl;
import org.rlhf4j.host.text.RecordText;
import org.rlhf4j.host.report.DataReport;

/**
 * The {@code classify} stage: gives every prompt-bearing record of {@code classify.input} (prompts,
 * conversations, preferences; documents are pretraining text and are left out) a {@code meta.category}:
 * its own label when it carries one that maps onto a category (people's labels win), else the
 * classifier's. Writes {@code data/classified.jsonl} and the classify section of the report: counts per
 * category, the classifier's held-out precision and recall, and the coverage of the evaluation set,
 * which fails the stage naming every category with fewer than {@code coverage.min-per-category} prompts.
 */
@Extension
@ExtensionName("classify")
public final class ClassifyStage implements Stage {

    public static final String OUTPUT = "data/classified.jsonl";

    private final Config settings;
    private final CategoryLabels labels;
    private final Extensions extensions;
    /** classify.coverage.source, or null for none. */
    private final SourceEntries coverageSource;
    private final long seed;

    @Inject
    public ClassifyStage(@Settings Config settings, Extensions extensions, RunContext run) {
        this.settings = settings;
        this.labels = new CategoryLabels(settings);
        this.extensions = extensions;
        this.seed = run.seed("classify");
        settings.getString("method");
        StageInputs.check(extensions, settings, "examples"); // read when the stage runs: checked now
        this.coverageSource = settings.getConfig("coverage.source").isEmpty() ? null
                : SourceEntries.single(extensions, settings, "coverage.source", (key, i, spec) -> spec.hasPath("name") ? spec
                        : spec.withValue("name", ConfigValueFactory.fromAnyRef("eval-set")));
        for (String c : requiredCategories()) {
            if (!labels.categories().contains(c)) {
                throw new org.rlhf4j.api.ConfigProblem(settings, "coverage.required", "'" + c + "' is not one of the categories");
            }
        }
    }

    private List<String> requiredCategories() {
        List<String> r = settings.getStringList("coverage.required");
        return r.isEmpty() ? labels.categories() : r;
    }

    @Override
    public void run(StageContext ctx) throws IOException {
        TaskClassifier classifier = TaskClassifier.build(settings, labels, extensions, seed);
        String input = settings.getString("input");
        Path in = ctx.input(input);
        Path out = ctx.staging().resolve(OUTPUT);
        Files.createDirectories(out.getParent());
        Map<String, Long> counts = new TreeMap<>();
        Map<String, Long> sources = new TreeMap<>();
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            IOException[] failure = {null};
            RecordJsonl.read(in, r -> {
                if (r.kind() == Record.Kind.DOCUMENT || failure[0] != null) {
                    return;
                }
                Record c = categorize(r, classifier);
                counts.merge(c.meta().get("category"), 1L, Long::sum);
                sources.merge(c.meta().get("category-source"), 1L, Long::sum);
                try {
                    w.write(RecordJsonl.toLine(c));
                    w.newLine();
                } catch (IOException e) {
                    failure[0] = e;
                }
            });
            if (failure[0] != null) {
                throw failure[0];
            }
        }
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("categories", counts);
        section.put("labelled-by", sources);
        section.put("classifier", classifier.report());
        List<String> missing = new ArrayList<>();
        if (coverageSource != null) {
            Map<String, Object> coverage = coverage(classifier, missing);
            section.put("eval-coverage", coverage);
        }
        DataReport report = DataReport.load(ctx);
        report.put("classify", section);
        report.write(ctx);
        if (!missing.isEmpty()) {
            throw new StageFailure("the evaluation set (classify.coverage.source) has fewer than "
                    + settings.getInt("coverage.min-per-category") + " prompt(s) in: " + String.join(", ", missing));
        }
    }

    /** The record with its category: its own mapped label, else the classifier's. */
    Record categorize(Record r, TaskClassifier classifier) {
        String own = labels.map(r.meta().get("category-label"));
        if (own == null) {
            own = labels.map(r.meta().get("category"));
        }
        if (own != null) {
            return r.withMeta("category", own).withMeta("category-source", "label");
        }
        return r.withMeta("category", classifier.classify(RecordText.prompt(r))).withMeta("category-source", classifier.method());
    }

    private Map<String, Object> coverage(TaskClassifier classifier, List<String> missing) {
        Map<String, Long> counts = new TreeMap<>();
        for (String c : labels.categories()) {
            counts.put(c, 0L);
        }
        coverageSource.read(r -> counts.merge(categorize(r, classifier).meta().get("category"), 1L, Long::sum));
        int min = settings.getInt("coverage.min-per-category");
        for (String c : requiredCategories()) {
            if (counts.getOrDefault(c, 0L) < min) {
                missing.add(c + " (" + counts.getOrDefault(c, 0L) + ")");
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", coverageSource.entries().get(0).spec().getString("path"));
        m.put("per-category", counts);
        m.put("min-per-category", min);
        m.put("missing", missing);
        return m;
    }
}
