package org.rlhf4j.host.data;

import org.rlhf4j.host.records.RecordJsonl;
import org.rlhf4j.host.records.SourceEntries;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import jakarta.inject.Inject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pf4j.Extension;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Extensions;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.data.DataSource;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.data.RecordStream;
import org.rlhf4j.api.stage.Progress;
import org.rlhf4j.api.stage.Stage;
import org.rlhf4j.api.stage.StageContext;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.text.TextNormalizer;
import org.rlhf4j.host.report.DataReport;

/**
 * The {@code acquire} stage: streams every entry of {@code acquire.sources} through the DataSource its
 * {@code type} names into {@code data/acquired.jsonl}, with provenance, and reports per source the records
 * read and the malformed lines skipped (file and line). Record ids must be unique for dedup to be
 * order-independent: a repeated id gets {@code #2}, {@code #3} ... appended.
 */
@Extension
@ExtensionName("acquire")
public final class AcquireStage implements Stage {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AcquireStage.class);

    public static final String OUTPUT = "data/acquired.jsonl";

    private final SourceEntries sources;

    @Inject
    public AcquireStage(@Settings Config settings, Extensions extensions) {
        if (settings.getConfigList("sources").isEmpty()) {
            throw new ConfigProblem(settings, "sources", "the acquire stage needs at least one source");
        }
        String defaultOnError = settings.getString("on-error");
        this.sources = SourceEntries.of(extensions, settings, "sources", (key, i, spec) -> {
            Config s = spec.hasPath("on-error") ? spec : spec.withValue("on-error", ConfigValueFactory.fromAnyRef(defaultOnError));
            return s.withValue("name", ConfigValueFactory.fromAnyRef(SourceSpec.from(s).name()));
        });
        Set<String> names = new HashSet<>();
        for (SourceEntries.Entry e : sources.entries()) {
            if (!names.add(e.name())) {
                throw new ConfigProblem(settings, "sources", "two sources are named '" + e.name() + "'; give one a name = ...");
            }
        }
    }

    @Override
    public void run(StageContext ctx) throws IOException {
        Path out = ctx.staging().resolve(OUTPUT);
        Files.createDirectories(out.getParent());
        List<Map<String, Object>> perSource = new ArrayList<>();
        List<String> malformed = new ArrayList<>();
        Set<Long> ids = new HashSet<>();
        long total = 0;
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8);
             Progress progress = ctx.progress("acquire", -1)) {
            for (SourceEntries.Entry entry : sources.entries()) {
                Config spec = entry.spec();
                long count = 0;
                long bytes = 0;
                long skipped = 0;
                try (RecordStream stream = entry.source().open(spec)) {
                    Record r;
                    while ((r = stream.next()) != null) {
                        r = unique(r, ids);
                        String line = RecordJsonl.toLine(r);
                        w.write(line);
                        w.newLine();
                        bytes += line.length();
                        count++;
                        if (count % 1000 == 0) {
                            progress.step(1000);
                        }
                    }
                    progress.step(count % 1000); // the records since the last thousand
                    if (stream instanceof SourceStream s) {
                        skipped = s.malformed().count();
                        String name = spec.getString("name");
                        s.malformed().examples().forEach(m -> malformed.add(name + " " + m));
                    }
                } catch (IOException e) {
                    throw sources.failure(entry, e);
                }
                if (count == 0) {
                    log.warn("acquire: source '{}' ({}, {}) gave no records{}", spec.getString("name"), spec.getString("path"),
                            ConfigProblem.where(spec.origin()), skipped > 0 ? "; all " + skipped + " were malformed" : "");
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("source", spec.getString("name"));
                m.put("type", spec.getString("type"));
                m.put("path", spec.getString("path"));
                m.put("records", count);
                m.put("chars", bytes);
                m.put("malformed-skipped", skipped);
                perSource.add(m);
                total += count;
            }
        }
        DataReport report = DataReport.load(ctx);
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("records", total);
        section.put("sources", perSource);
        section.put("malformed", malformed);
        report.put("acquire", section);
        report.write(ctx);
        ctx.run().metrics().log(ctx.stage(), -1, Map.of("records", total));
    }

    private static Record unique(Record r, Set<Long> ids) {
        if (ids.add(TextNormalizer.hash64(r.id()))) {
            return r;
        }
        for (int n = 2; ; n++) {
            String id = r.id() + "#" + n;
            if (ids.add(TextNormalizer.hash64(id))) {
                return new Record(id, r.kind(), r.text(), r.messages(), r.answers(), r.meta(), r.provenance());
            }
        }
    }
}
