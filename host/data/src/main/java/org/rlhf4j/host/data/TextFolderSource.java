package org.rlhf4j.host.data;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.pf4j.Extension;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.data.DataSource;
import org.rlhf4j.api.data.Record;

/**
 * A folder of text files ({@code glob = "**}{@code /*.txt"}), one record per file: a DOCUMENT, or a
 * PROMPT with {@code kind = prompt}. A file that is not valid UTF-8 is malformed. Files larger than
 * {@code max-bytes} (default 64 MiB) are skipped as malformed so one stray dump cannot exhaust memory.
 */
@Extension
@ExtensionName("text-folder")
public final class TextFolderSource implements DataSource {

    @Override
    public SourceStream open(Config spec) throws IOException {
        SourceSpec s = SourceSpec.from(spec);
        String kind = s.option("kind", "document");
        if (!kind.equals("document") && !kind.equals("prompt")) {
            throw new ConfigProblem(spec, "kind", "must be document or prompt, got '" + kind + "'");
        }
        long maxBytes = spec.hasPath("max-bytes") ? spec.getBytes("max-bytes") : 64L << 20;
        return new Files(s, kind.equals("prompt") ? Record.Kind.PROMPT : Record.Kind.DOCUMENT, maxBytes);
    }

    /** Reads a whole file as strict UTF-8, or throws {@link CharacterCodingException}. */
    static String readUtf8(Path file, long maxBytes) throws IOException {
        try (InputStream in = InputFiles.open(file)) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw new IOException("larger than max-bytes (" + maxBytes + ")");
            }
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        }
    }

    private static final class Files extends FileSequenceStream {
        private final Record.Kind kind;
        private final long maxBytes;
        private boolean done;

        Files(SourceSpec spec, Record.Kind kind, long maxBytes) throws IOException {
            super(spec);
            this.kind = kind;
            this.maxBytes = maxBytes;
        }

        @Override
        protected void openFile(Path file) {
            done = false;
        }

        @Override
        protected Record readRecord() throws IOException {
            if (done) {
                return null;
            }
            done = true;
            String text;
            try {
                text = readUtf8(currentFile(), maxBytes);
            } catch (CharacterCodingException e) {
                malformed.report(fileName(), 0, "not UTF-8 text");
                return null;
            } catch (IOException e) {
                malformed.report(fileName(), 0, e.getMessage());
                return null;
            }
            String id = spec.name() + ":" + fileName();
            Map<String, String> meta = Map.of("format", kind.name().toLowerCase(Locale.ROOT), "path", fileName());
            return new Record(id, kind, text, null, null, meta, provenance(0));
        }

        @Override
        protected void closeFile() {
        }
    }
}
