package org.rlhf4j.host.data;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rlhf4j.api.data.Record;

/**
 * Delimited text (CSV, RFC 4180 quoting with {@code "} and doubled quotes, fields may span lines; or
 * TSV). The first row names the columns; each later row becomes a JSON object of those names and maps
 * through the spec's {@link RecordMapping}. A row with a different number of fields, or an unclosed
 * quote, is malformed. A leading UTF-8 byte-order mark is skipped.
 */
final class CsvStream extends FileSequenceStream {

    private final char delimiter;
    private final boolean quoting;
    private BufferedReader in;
    private List<String> header;
    private long line;

    CsvStream(SourceSpec spec, char delimiter, boolean quoting) throws IOException {
        super(spec);
        this.delimiter = delimiter;
        this.quoting = quoting;
    }

    @Override
    protected void openFile(Path file) throws IOException {
        in = InputFiles.reader(file);
        // A UTF-8 byte-order mark (Excel writes one) would become part of the first column's name.
        in.mark(1);
        if (in.read() != '\uFEFF') {
            in.reset();
        }
        line = 0;
        header = null;
    }

    @Override
    protected Record readRecord() throws IOException {
        while (true) {
            long start = line + 1;
            List<String> row;
            try {
                row = readRow();
            } catch (IllegalArgumentException e) {
                malformed.report(fileName(), start, e.getMessage());
                return null;
            }
            if (row == null) {
                return null;
            }
            if (row.size() == 1 && row.get(0).isEmpty()) {
                continue;
            }
            if (header == null) {
                header = row;
                continue;
            }
            if (row.size() != header.size()) {
                malformed.report(fileName(), start, row.size() + " fields where the header has " + header.size());
                continue;
            }
            ObjectNode o = JsonStream.JSON.createObjectNode();
            for (int i = 0; i < header.size(); i++) {
                o.put(header.get(i), row.get(i));
            }
            try {
                return spec.mapping().map(o, idAt(start), provenance(start));
            } catch (IllegalArgumentException e) {
                malformed.report(fileName(), start, e.getMessage());
            }
        }
    }

    /** One row's fields, or null at the end of the file. */
    private List<String> readRow() throws IOException {
        String text = in.readLine();
        if (text == null) {
            return null;
        }
        line++;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        int i = 0;
        while (true) {
            if (i == text.length()) {
                if (!quoted) {
                    fields.add(field.toString());
                    return fields;
                }
                text = in.readLine();
                if (text == null) {
                    throw new IllegalArgumentException("a quoted field is not closed before the end of the file");
                }
                line++;
                field.append('\n');
                i = 0;
                continue;
            }
            char c = text.charAt(i++);
            if (quoted) {
                if (c == '"') {
                    if (i < text.length() && text.charAt(i) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == delimiter) {
                fields.add(field.toString());
                field.setLength(0);
            } else if (c == '"' && quoting && field.length() == 0) {
                quoted = true;
            } else {
                field.append(c);
            }
        }
    }

    @Override
    protected void closeFile() throws IOException {
        in.close();
    }
}
