package org.rlhf4j.host.filter;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import org.pf4j.Extension;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.data.FilterDecision;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.data.RecordFilter;

/**
 * Personal data ({@link PiiDetectors}): emails, public IP addresses, phone numbers, Chinese resident ID
 * numbers, payment cards and credentials in URLs, in every text of a record (turns and answers too),
 * redacted with tags such as {@code <EMAIL>} (BigCode's convention) or the record dropped
 * ({@code action = drop}). {@code detect} lists the kinds to look for.
 */
@Extension
@ExtensionName("pii")
public final class PiiFilter extends RedactingFilter implements RecordFilter {

    private static final Set<String> KINDS = Set.of("email", "ip", "phone", "cn-id", "card", "url-credentials");

    @Inject
    public PiiFilter(@Settings Config settings) {
        super("pii", detectors(settings), action(settings));
    }

    static boolean action(Config settings) {
        String a = settings.getString("action");
        if (!a.equals("redact") && !a.equals("drop")) {
            throw new ConfigProblem(settings, "action", "must be redact or drop, got '" + a + "'");
        }
        return a.equals("drop");
    }

    private static List<Detector> detectors(Config settings) {
        List<String> kinds = settings.getStringList("detect");
        for (String k : kinds) {
            if (!KINDS.contains(k)) {
                throw new ConfigProblem(settings, "detect", "unknown kind '" + k + "'; known: " + new java.util.TreeSet<>(KINDS));
            }
        }
        return PiiDetectors.ALL.stream().filter(d -> kinds.contains(d.name())).toList();
    }

    @Override
    public FilterDecision apply(Record record) {
        return decide(record);
    }
}
