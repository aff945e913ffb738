package org.rlhf4j.host.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.rlhf4j.api.data.Record;

/**
 * The records of JSON files, whichever layout each file has: a top-level array of objects (Alpaca,
 * LLaMA-Factory, most exports), read element by element with a streaming parser so a large array never
 * sits in memory; or JSON Lines, one object per line. Rows map through the spec's {@link RecordMapping};
 * a row that is not JSON or lacks its format's fields is skipped and counted, or fails the run.
 */
final class JsonStream extends FileSequenceStream {

    static final ObjectMapper JSON = new ObjectMapper();

    private PushbackReader reader;
    private BufferedReader lines;
    private JsonParser parser;
    private long line;

    JsonStream(SourceSpec spec) throws IOException {
        super(spec);
    }

    @Override
    protected void openFile(Path file) throws IOException {
        reader = new PushbackReader(new InputStreamReader(InputFiles.open(file), StandardCharsets.UTF_8), 1);
        int c;
        do {
            c = reader.read();
        } while (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\uFEFF');
        if (c >= 0) {
            reader.unread(c);
        }
        line = 0;
        if (c == '[') {
            parser = JSON.getFactory().createParser(reader);
            parser.nextToken();
        } else {
            lines = new BufferedReader(reader, 1 << 16);
        }
    }

    @Override
    protected Record readRecord() throws IOException {
        return parser != null ? nextElement() : nextLine();
    }

    private Record nextLine() throws IOException {
        String text;
        while ((text = lines.readLine()) != null) {
            line++;
            if (text.isBlank()) {
                continue;
            }
            try {
                return spec.mapping().map(JSON.readTree(text), idAt(line), provenance(line));
            } catch (JsonProcessingException e) {
                malformed.report(fileName(), line, "not JSON: " + e.getOriginalMessage());
            } catch (IllegalArgumentException e) {
                malformed.report(fileName(), line, e.getMessage());
            }
        }
        return null;
    }

    private Record nextElement() throws IOException {
        while (true) {
            long at = parser.currentLocation().getLineNr();
            try {
                JsonToken t = parser.nextToken();
                if (t == null || t == JsonToken.END_ARRAY) {
                    return null;
                }
                at = parser.currentLocation().getLineNr();
                JsonNode row = parser.readValueAsTree();
                return spec.mapping().map(row, idAt(at), provenance(at));
            } catch (JsonProcessingException e) {
                malformed.report(fileName(), e.getLocation() == null ? at : e.getLocation().getLineNr(),
                        "broken JSON array (rest of the file skipped): " + e.getOriginalMessage());
                return null;
            } catch (IllegalArgumentException e) {
                malformed.report(fileName(), at, e.getMessage());
            }
        }
    }

    @Override
    protected void closeFile() throws IOException {
        if (parser != null) {
            parser.close();
            parser = null;
        }
        if (lines != null) {
            lines.close();
            lines = null;
        }
        reader.close();
    }
}
