package org.rlhf4j.host.filter;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import org.pf4j.Extension;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.data.FilterDecision;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.data.RecordFilter;

/**
 * Secrets in code and text ({@link SecretDetectors}): cloud keys, service tokens, private key blocks,
 * JWTs and high-entropy values assigned to key-like names, redacted as {@code <SECRET>} or the record
 * dropped ({@code action = drop}).
 */
@Extension
@ExtensionName("code-secrets")
public final class SecretsFilter extends RedactingFilter implements RecordFilter {

    @Inject
    public SecretsFilter(@Settings Config settings) {
        super("code-secrets", SecretDetectors.all(settings.getDouble("min-entropy"), settings.getInt("min-length")),
                PiiFilter.action(settings));
    }

    @Override
    public FilterDecision apply(Record record) {
        return decide(record);
    }
}
