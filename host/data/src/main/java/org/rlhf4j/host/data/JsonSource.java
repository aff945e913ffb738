package org.rlhf4j.host.data;

import com.typesafe.config.Config;
import java.io.IOException;
import org.pf4j.Extension;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.data.DataSource;

/**
 * JSON files holding a top-level array of objects (Alpaca, LLaMA-Factory, most Hugging Face exports),
 * streamed element by element; a file that holds JSON Lines instead is read as such ({@link JsonStream}).
 */
@Extension
@ExtensionName("json")
public final class JsonSource implements DataSource {

    @Override
    public SourceStream open(Config spec) throws IOException {
        return new JsonStream(SourceSpec.from(spec));
    }
}
