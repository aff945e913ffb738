package org.rlhf4j.host.data;

import com.typesafe.config.Config;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.netpreserve.jwarc.HttpResponse;
import org.netpreserve.jwarc.MediaType;
import org.netpreserve.jwarc.ParsingException;
import org.netpreserve.jwarc.WarcConversion;
import org.netpreserve.jwarc.WarcReader;
import org.netpreserve.jwarc.WarcRecord;
import org.netpreserve.jwarc.WarcResponse;
import org.pf4j.Extension;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.data.DataSource;
import org.rlhf4j.api.data.Record;

/**
 * WARC and WET files as Common Crawl publishes them ({@code .warc}, {@code .warc.gz}, {@code .warc.wet.gz}, also
 * {@code .bz2}), read with jwarc: the WARC 1.0/1.1 format
 * (https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/), one gzip member per record or
 * the whole file in one. WET {@code conversion} records are plain text already (UTF-8). WARC {@code response}
 * records with a 2xx HTTP status and an HTML, XHTML or plain-text body become text: the HTTP transfer encoding
 * ({@code chunked}) and content encoding ({@code gzip}, {@code deflate}, {@code br}) are undone, the charset is
 * the HTTP header's, else the page's own declaration ({@link HtmlText}). Other records (request, metadata,
 * warcinfo, revisit, images, redirects) are passed over. Meta: {@code url}, {@code date}, {@code warc-type}; the
 * record's number in its file is its line in provenance and ids.
 *
 * <p>Malformed input names the file, the record's number and its byte offset (in the compressed file for
 * {@code .warc.gz}, as Common Crawl's index gives it). A body that cannot be decoded skips that record; a header
 * that cannot be read or a record cut short ends the file (a WARC has no resync point). A record marked
 * {@code WARC-Truncated} (Common Crawl cuts bodies at 1 MiB) keeps the text decoded before the cut.
 */
@Extension
@ExtensionName("warc")
public final class WarcSource implements DataSource {

    /** The most bytes of one decoded body read (a guard against decompression bombs); the rest is passed over. */
    static final int MAX_BODY_BYTES = 32 << 20;

    @Override
    public SourceStream open(Config spec) throws IOException {
        return new Records(SourceSpec.from(spec));
    }

    private static final class Records extends FileSequenceStream {
        private WarcReader reader;
        private long number;

        Records(SourceSpec spec) throws IOException {
            super(spec);
        }

        @Override
        protected void openFile(Path file) throws IOException {
            number = 0;
            InputStream in;
            try {
                // jwarc undoes gzip itself, counting offsets in the compressed file; bzip2 is undone before it.
                in = file.getFileName().toString().endsWith(".bz2") ? InputFiles.open(file)
                        : new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            } catch (IOException e) {
                throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
            }
            try {
                reader = new WarcReader(in);
            } catch (IOException e) {
                in.close();
                reader = null;
                malformed.report(fileName(), 1, "not a WARC file (" + e + ")");
            }
        }

        @Override
        protected Record readRecord() throws IOException {
            while (reader != null) {
                WarcRecord record;
                try {
                    Optional<WarcRecord> next = reader.next();
                    if (next.isEmpty()) {
                        return null;
                    }
                    record = next.get();
                } catch (ParsingException e) {
                    return endOfFile(number + 1, reader.position(), "not a WARC record header: " + e.getBaseMessage());
                } catch (NumberFormatException e) {
                    return endOfFile(number + 1, reader.position(), "no valid Content-Length");
                } catch (IOException e) {
                    return endOfFile(number + 1, reader.position(), "header cut short or unreadable (" + e + ")");
                }
                number++;
                long offset = record.position();
                String text;
                try {
                    text = text(record);
                    record.body().consume();
                } catch (IOException e) {
                    try {
                        record.body().consume();
                    } catch (IOException end) {
                        return endOfFile(number, offset, end instanceof EOFException
                                ? "truncated record: the file ends inside its " + record.body().size() + "-byte block"
                                : "unreadable record (" + end + ")");
                    }
                    malformed.report(fileName(), number, "record at byte " + offset + ": " + e.getMessage() + " (record skipped)");
                    continue;
                }
                if (text == null) {
                    continue;
                }
                Map<String, String> meta = new LinkedHashMap<>();
                meta.put("format", "warc");
                meta.put("warc-type", record.type());
                meta.put("url", record.headers().first("WARC-Target-URI").orElse(""));
                meta.put("date", record.headers().first("WARC-Date").orElse(""));
                return Record.document(idAt(number), text.strip(), meta, provenance(number));
            }
            return null;
        }

        private Record endOfFile(long record, long offset, String why) {
            malformed.report(fileName(), record, "record at byte " + offset + ": " + why + " (rest of the file skipped)");
            return null;
        }

        /** The text of a conversion record or of a textual 2xx HTTP response; null for any other record. */
        private static String text(WarcRecord record) throws IOException {
            if (record instanceof WarcConversion) {
                return new String(bytes(record.body().stream(), record), StandardCharsets.UTF_8);
            }
            if (!(record instanceof WarcResponse response)) {
                return null;
            }
            HttpResponse http;
            try {
                http = response.http();
            } catch (ParsingException e) {
                throw new IOException("not an HTTP response: " + e.getBaseMessage(), e);
            }
            if (http.status() < 200 || http.status() > 299) {
                return null;
            }
            MediaType type = http.contentType();
            String kind = (type.type() + "/" + type.subtype()).toLowerCase(Locale.ROOT);
            boolean html = kind.equals("text/html") || kind.equals("application/xhtml+xml");
            if (!html && !kind.equals("text/plain")) {
                return null;
            }
            Charset charset = PageCharset.forLabel(type.parameters().get("charset"));
            byte[] bytes = bytes(contentDecoded(http), record);
            return html ? HtmlText.of(bytes, charset) : new String(bytes, charset != null ? charset : StandardCharsets.UTF_8);
        }

        /**
         * The HTTP body with its content encoding undone. jwarc reads {@code deflate} as a raw deflate stream; HTTP
         * means the zlib format (RFC 9110 section 8.4.1.2) and some servers send raw deflate: both are read, told
         * apart by the zlib header (RFC 1950: compression method 8, the first two bytes a multiple of 31).
         */
        private static InputStream contentDecoded(HttpResponse http) throws IOException {
            List<String> encodings = http.headers().all("Content-Encoding");
            try {
                if (encodings.size() != 1 || !encodings.get(0).strip().equalsIgnoreCase("deflate")) {
                    return http.bodyDecoded().stream();
                }
                BufferedInputStream in = new BufferedInputStream(http.body().stream());
                in.mark(2);
                int b0 = in.read();
                int b1 = in.read();
                in.reset();
                boolean zlib = b0 >= 0 && b1 >= 0 && (b0 & 0x0F) == 8 && ((b0 << 8) | b1) % 31 == 0;
                return new InflaterInputStream(in, new Inflater(!zlib));
            } catch (IOException e) {
                throw new IOException("cannot undo the Content-Encoding " + encodings + ": " + e.getMessage(), e);
            }
        }

        /**
         * The body's bytes, at most {@link #MAX_BODY_BYTES}. A record the crawler cut short ({@code WARC-Truncated})
         * keeps what decoded before the cut; any other record whose body ends early or does not decode fails.
         */
        private static byte[] bytes(InputStream body, WarcRecord record) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream(16 << 10);
            byte[] buf = new byte[16 << 10];
            try {
                int n;
                while (out.size() < MAX_BODY_BYTES && (n = body.read(buf, 0, Math.min(buf.length, MAX_BODY_BYTES - out.size()))) >= 0) {
                    out.write(buf, 0, n);
                }
            } catch (IOException e) {
                if (record.headers().first("WARC-Truncated").isEmpty()) {
                    throw new IOException("cannot read or decode the body: " + e, e);
                }
            }
            return out.toByteArray();
        }

        @Override
        protected void closeFile() throws IOException {
            if (reader != null) {
                reader.close();
                reader = null;
            }
        }
    }
}
