package org.rlhf4j.host.filter;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.pf4j.Extension;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.data.FilterDecision;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.data.RecordFilter;
import org.rlhf4j.host.report.ReportContributor;

/**
 * Decides what crawled code may be trained on: a record carrying {@code meta.license} (the code-folder
 * source attaches its repository's) is dropped when the license is not in {@code allowed} (The Stack
 * kept permissive licenses only), and, with {@code drop-private}, when {@code meta.private} is true.
 * Records without license meta (prose) pass.
 */
@Extension
@ExtensionName("code-license")
public final class LicenseFilter implements RecordFilter, ReportContributor {

    private final Set<String> allowed;
    private final boolean dropPrivate;
    private final Map<String, LongAdder> licenses = new ConcurrentHashMap<>();

    @Inject
    public LicenseFilter(@Settings Config settings) {
        this.allowed = Set.copyOf(settings.getStringList("allowed"));
        this.dropPrivate = settings.getBoolean("drop-private");
    }

    @Override
    public FilterDecision apply(Record record) {
        String license = record.meta().get("license");
        if (license == null) {
            return FilterDecision.keep(record);
        }
        licenses.computeIfAbsent(license, k -> new LongAdder()).increment();
        if (dropPrivate && "true".equals(record.meta().get("private"))) {
            return FilterDecision.drop(record, "code-private: repository " + record.meta().getOrDefault("repository", "?") + " is marked private");
        }
        if (!allowed.contains(license)) {
            return FilterDecision.drop(record, "code-license: " + license + " is not on the allowed list");
        }
        return FilterDecision.keep(record);
    }

    @Override
    public Map<String, Object> report() {
        Map<String, Object> seen = new TreeMap<>();
        licenses.forEach((k, v) -> seen.put(k, v.sum()));
        return Map.of("licenses-seen", seen, "allowed", String.join(", ", new java.util.TreeSet<>(allowed)));
    }
}
