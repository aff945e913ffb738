package org.rlhf4j.host.data;

import com.typesafe.config.Config;
import java.io.IOException;
import org.pf4j.Extension;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.data.DataSource;

/**
 * JSON Lines ({@code .jsonl}, {@code .jsonl.gz}): one JSON object per line, mapped by the spec's
 * {@code format} and {@code fields} ({@link RecordMapping}). A file that turns out to hold a JSON
 * array is read as one ({@link JsonStream}).
 */
@Extension
@ExtensionName("jsonl")
public final class JsonlSource implements DataSource {

    @Override
    public SourceStream open(Config spec) throws IOException {
        return new JsonStream(SourceSpec.from(spec));
    }
}
