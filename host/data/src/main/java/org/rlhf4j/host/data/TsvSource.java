package org.rlhf4j.host.data;

import com.typesafe.config.Config;
import java.io.IOException;
import org.pf4j.Extension;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.data.DataSource;

/** Tab-separated files with a header row; no quoting (a tab or newline never occurs inside a field). */
@Extension
@ExtensionName("tsv")
public final class TsvSource implements DataSource {

    @Override
    public SourceStream open(Config spec) throws IOException {
        return new CsvStream(SourceSpec.from(spec), '\t', false);
    }
}
