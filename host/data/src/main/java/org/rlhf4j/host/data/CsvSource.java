package org.rlhf4j.host.data;

import com.typesafe.config.Config;
import java.io.IOException;
import org.pf4j.Extension;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.data.DataSource;

/**
 * CSV files with a header row ({@code delimiter = ","} by default, RFC 4180 quotes). Columns map by
 * name through {@code fields} and {@code format}, like JSON rows.
 */
@Extension
@ExtensionName("csv")
public final class CsvSource implements DataSource {

    @Override
    public SourceStream open(Config spec) throws IOException {
        SourceSpec s = SourceSpec.from(spec);
        String d = s.option("delimiter", ",");
        if (d.length() != 1) {
            throw new ConfigProblem(spec, "delimiter", "must be one character, got '" + d + "'");
        }
        return new CsvStream(s, d.charAt(0), true);
    }
}
