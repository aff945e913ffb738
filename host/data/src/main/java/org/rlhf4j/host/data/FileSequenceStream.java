package org.rlhf4j.host.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.rlhf4j.api.data.Provenance;
import org.rlhf4j.api.data.Record;

/**
 * Streams the records of a source's files one file at a time, so memory stays flat whatever the
 * corpus size. A subclass opens one file and reads its records; this class walks the files, applies
 * the spec's {@code limit} and closes what it opened.
 */
abstract class FileSequenceStream implements SourceStream {

    protected final SourceSpec spec;
    protected final MalformedInput malformed;
    private final List<Path> files;
    private int nextFile;
    private Path current;
    private long produced;

    FileSequenceStream(SourceSpec spec) throws IOException {
        this.spec = spec;
        this.malformed = new MalformedInput(spec.onError());
        this.files = InputFiles.list(spec.path(), spec.glob());
    }

    /** Opens one file for reading. */
    protected abstract void openFile(Path file) throws IOException;

    /** The next record of the open file, or null at its end. */
    protected abstract Record readRecord() throws IOException;

    /** Closes the open file. */
    protected abstract void closeFile() throws IOException;

    @Override
    public final Record next() throws IOException {
        if (spec.limit() > 0 && produced >= spec.limit()) {
            return null;
        }
        while (true) {
            if (current == null) {
                if (nextFile >= files.size()) {
                    return null;
                }
                current = files.get(nextFile++);
                openFile(current);
            }
            Record r = readRecord();
            if (r != null) {
                produced++;
                return r;
            }
            closeFile();
            current = null;
        }
    }

    /** The open file as records name it: relative to the spec's folder, or the file name. */
    protected final String fileName() {
        Path root = spec.path();
        return current.equals(root) ? root.getFileName().toString() : root.relativize(current).toString();
    }

    protected final Path currentFile() {
        return current;
    }

    /** Provenance and a stable id ({@code source:file:line}) for a record at {@code line} of the open file. */
    protected final Provenance provenance(long line) {
        return new Provenance(spec.name(), fileName(), line);
    }

    protected final String idAt(long line) {
        return spec.name() + ":" + fileName() + ":" + line;
    }

    @Override
    public final MalformedInput malformed() {
        return malformed;
    }

    @Override
    public void close() throws IOException {
        if (current != null) {
            closeFile();
            current = null;
        }
    }
}
