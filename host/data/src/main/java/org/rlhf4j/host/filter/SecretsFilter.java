package org.rlhf4j.host.filter;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.util.List;
import org.pf4j.Extension;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.data.FilterDecision;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.data.RecordFilter;

/**
 * Secrets in code and text ({@link SecretDetectors}): private key blocks, cloud keys, tokens of code hosts, AI
 * and SaaS services, JWTs, passwords in URLs and high-entropy values assigned to key-like names, each family
 * redacted with its own tag ({@code <GITHUB_TOKEN>}, {@code <AWS_KEY>} ..., {@code <SECRET>} for the generic
 * assignments) or the record dropped ({@code action = drop}). {@code detect} lists the families to look for.
 */
@Extension
@ExtensionName("code-secrets")
public final class SecretsFilter extends RedactingFilter implements RecordFilter {

    @Inject
    public SecretsFilter(@Settings Config settings) {
        super("code-secrets", detectors(settings), PiiFilter.action(settings));
    }

    private static List<Detector> detectors(Config settings) {
        double minEntropy = settings.getDouble("min-entropy");
        int minLength = settings.getInt("min-length");
        if (minLength < 6) {
            throw new ConfigProblem(settings, "min-length", "must be at least 6, got " + minLength);
        }
        List<String> families = settings.getStringList("detect");
        for (String f : families) {
            if (!SecretDetectors.FAMILIES.contains(f)) {
                throw new ConfigProblem(settings, "detect", "unknown family '" + f + "'; known: " + SecretDetectors.FAMILIES);
            }
        }
        return SecretDetectors.all(minEntropy, minLength).stream().filter(d -> families.contains(d.name())).toList();
    }

    @Override
    public FilterDecision apply(Record record) {
        return decide(record);
    }
}
