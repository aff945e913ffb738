package org.rlhf4j.host.data;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.pf4j.Extension;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.data.DataSource;
import org.rlhf4j.api.data.Record;

/**
 * WARC and WET files as Common Crawl publishes them ({@code .warc.gz}, {@code .warc.wet.gz}; gzip members
 * are read one after another). WET {@code conversion} records are plain text already; WARC
 * {@code response} records with an HTML body are turned into text ({@link HtmlText}). Other record types
 * (request, metadata, warcinfo) are passed over. Meta: {@code url}, {@code date}, {@code warc-type}.
 * A record whose header cannot be read is malformed and ends that file (a WARC has no resync point).
 */
@Extension
@ExtensionName("warc")
public final class WarcSource implements DataSource {

    @Override
    public SourceStream open(Config spec) throws IOException {
        return new Records(SourceSpec.from(spec));
    }

    private static final class Records extends FileSequenceStream {
        private InputStream in;
        private long number;

        Records(SourceSpec spec) throws IOException {
            super(spec);
        }

        @Override
        protected void openFile(Path file) throws IOException {
            in = InputFiles.open(file);
            number = 0;
        }

        @Override
        protected Record readRecord() throws IOException {
            while (true) {
                String version = readLine();
                while (version != null && version.isEmpty()) {
                    version = readLine();
                }
                if (version == null) {
                    return null;
                }
                number++;
                if (!version.startsWith("WARC/")) {
                    malformed.report(fileName(), number, "record does not start with a WARC/ version line (rest of the file skipped)");
                    return null;
                }
                Map<String, String> headers = new LinkedHashMap<>();
                String h;
                while ((h = readLine()) != null && !h.isEmpty()) {
                    int colon = h.indexOf(':');
                    if (colon > 0) {
                        headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
                    }
                }
                long length;
                try {
                    length = Long.parseLong(headers.getOrDefault("content-length", ""));
                } catch (NumberFormatException e) {
                    malformed.report(fileName(), number, "no valid Content-Length (rest of the file skipped)");
                    return null;
                }
                byte[] body = in.readNBytes((int) Math.min(length, Integer.MAX_VALUE - 8));
                if (body.length < length) {
                    malformed.report(fileName(), number, "truncated record: " + body.length + " of " + length + " bytes");
                    return null;
                }
                String type = headers.getOrDefault("warc-type", "");
                String text = switch (type) {
                    case "conversion" -> new String(body, StandardCharsets.UTF_8);
                    case "response" -> responseText(body);
                    default -> null;
                };
                if (text == null) {
                    continue;
                }
                Map<String, String> meta = new LinkedHashMap<>();
                meta.put("format", "warc");
                meta.put("warc-type", type);
                meta.put("url", headers.getOrDefault("warc-target-uri", ""));
                meta.put("date", headers.getOrDefault("warc-date", ""));
                return Record.document(idAt(number), text.strip(), meta, provenance(number));
            }
        }

        /** The text of an HTTP response whose body is HTML or plain text; null for other content. */
        private static String responseText(byte[] body) {
            int split = indexOf(body, new byte[] {'\r', '\n', '\r', '\n'});
            int skip = 4;
            if (split < 0) {
                split = indexOf(body, new byte[] {'\n', '\n'});
                skip = 2;
            }
            if (split < 0) {
                return null;
            }
            String head = new String(body, 0, split, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            String content = new String(body, split + skip, body.length - split - skip, StandardCharsets.UTF_8);
            if (head.contains("content-type: text/html") || head.contains("content-type: application/xhtml")) {
                return HtmlText.of(content);
            }
            return head.contains("content-type: text/plain") ? content : null;
        }

        private static int indexOf(byte[] data, byte[] pattern) {
            outer:
            for (int i = 0; i + pattern.length <= data.length; i++) {
                for (int j = 0; j < pattern.length; j++) {
                    if (data[i + j] != pattern[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }

        private String readLine() throws IOException {
            java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream(128);
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                if (c != '\r') {
                    buf.write(c);
                }
            }
            if (c < 0 && buf.size() == 0) {
                return null;
            }
            return buf.toString(StandardCharsets.UTF_8);
        }

        @Override
        protected void closeFile() throws IOException {
            in.close();
        }
    }
}
