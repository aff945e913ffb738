package org.rlhf4j.host.filter;

import org.rlhf4j.host.text.RecordText;
import org.rlhf4j.host.text.TextNormalizer;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.pf4j.Extension;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.data.FilterDecision;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.data.RecordFilter;
import org.rlhf4j.host.report.ReportContributor;

/**
 * Exact deduplication on a normalised key (datatrove's ExactDedup and dolma's bloom-filter dedup, with
 * an exact hash table instead of a Bloom filter, so nothing is dropped by a false positive).
 *
 * <ul>
 *   <li>{@code key = text}: the record's text in dedup form ({@link TextNormalizer#forDedup}, or verbatim with
 *       {@code normalize = false}); {@code key = meta.url} dedups on a meta field (dolma's dedupe-by-url).</li>
 *   <li>{@code unit = document} drops every copy but one; {@code unit = paragraph} removes paragraphs
 *       (lines, as dolma splits them) already present in a better record, and drops a record left empty.</li>
 *   <li>The kept copy is chosen by {@code priority} ({@link DedupPriority}), so the result is the same for
 *       any input order and any number of threads.</li>
 * </ul>
 * Index memory: one 64-bit hash and one candidate per distinct key.
 */
@Extension
@ExtensionName("exact-dedup")
public final class ExactDedup implements RecordFilter, ReportContributor {

    /** Settings; see the class comment and host/data reference.conf. */
    record ExactSettings(String key, boolean paragraphs, boolean normalize, DedupPriority priority) {
        static ExactSettings from(Config c) {
            String key = c.getString("key");
            if (!key.equals("text") && !key.startsWith("meta.")) {
                throw new ConfigProblem(c, "key", "must be text or meta.<field>, got '" + key + "'");
            }
            String unit = c.getString("unit");
            if (!unit.equals("document") && !unit.equals("paragraph")) {
                throw new ConfigProblem(c, "unit", "must be document or paragraph, got '" + unit + "'");
            }
            if (unit.equals("paragraph") && !key.equals("text")) {
                throw new ConfigProblem(c, "unit", "paragraph dedup needs key = text");
            }
            return new ExactSettings(key, unit.equals("paragraph"), c.getBoolean("normalize"), DedupPriority.from(c, "priority"));
        }
    }

    private final ExactSettings settings;
    private final Map<Long, DedupPriority.Candidate> keepers = new ConcurrentHashMap<>();
    private final AtomicLong removedParagraphs = new AtomicLong();
    private final AtomicLong removedChars = new AtomicLong();

    @Inject
    public ExactDedup(@Settings Config settings) {
        this.settings = ExactSettings.from(settings);
    }

    @Override
    public boolean needsIndex() {
        return true;
    }

    @Override
    public boolean concurrentIndex() {
        return true;
    }

    @Override
    public void index(Record record) {
        DedupPriority.Candidate c = settings.priority().of(record);
        for (long h : keys(record)) {
            keepers.merge(h, c, DedupPriority::best);
        }
    }

    @Override
    public FilterDecision apply(Record record) {
        if (settings.paragraphs()) {
            return paragraphs(record);
        }
        List<Long> k = keys(record);
        if (k.isEmpty()) {
            return FilterDecision.keep(record);
        }
        DedupPriority.Candidate keeper = keepers.get(k.get(0));
        if (keeper == null || keeper.id().equals(record.id())) {
            return FilterDecision.keep(record);
        }
        return FilterDecision.drop(record, "exact-duplicate: same " + settings.key() + " as " + keeper.id() + " (kept)");
    }

    private FilterDecision paragraphs(Record record) {
        String text = RecordText.of(record);
        String[] lines = text.split("\n", -1);
        StringBuilder kept = new StringBuilder(text.length());
        java.util.Set<Long> seenHere = new java.util.HashSet<>();
        int removed = 0;
        int chars = 0;
        for (String line : lines) {
            String k = keyText(line);
            boolean duplicate = false;
            if (!k.isBlank()) {
                long h = TextNormalizer.hash64(k);
                DedupPriority.Candidate keeper = keepers.get(h);
                duplicate = keeper != null && !keeper.id().equals(record.id()) || !seenHere.add(h);
            }
            if (duplicate) {
                removed++;
                chars += line.length();
            } else {
                if (kept.length() > 0) {
                    kept.append('\n');
                }
                kept.append(line);
            }
        }
        if (removed == 0) {
            return FilterDecision.keep(record);
        }
        removedParagraphs.addAndGet(removed);
        removedChars.addAndGet(chars);
        if (kept.toString().isBlank()) {
            return FilterDecision.drop(record, "exact-duplicate-paragraphs: every paragraph is in a kept record");
        }
        return FilterDecision.modify(record.withText(kept.toString()),
                "exact-duplicate-paragraphs: removed " + removed + " paragraph(s), " + chars + " chars");
    }

    private List<Long> keys(Record r) {
        if (settings.key().startsWith("meta.")) {
            String v = r.meta().get(settings.key().substring(5));
            return v == null || v.isEmpty() ? List.of() : List.of(TextNormalizer.hash64(v));
        }
        String text = RecordText.of(r);
        if (!settings.paragraphs()) {
            String k = keyText(text);
            return k.isBlank() ? List.of() : List.of(TextNormalizer.hash64(k));
        }
        List<Long> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String k = keyText(line);
            if (!k.isBlank()) {
                out.add(TextNormalizer.hash64(k));
            }
        }
        return out;
    }

    private String keyText(String s) {
        return settings.normalize() ? TextNormalizer.forDedup(s) : s;
    }

    @Override
    public Map<String, Object> report() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("key", settings.key());
        r.put("unit", settings.paragraphs() ? "paragraph" : "document");
        r.put("distinct-keys", keepers.size());
        if (settings.paragraphs()) {
            r.put("removed-paragraphs", removedParagraphs.get());
            r.put("removed-chars", removedChars.get());
        }
        return r;
    }
}
