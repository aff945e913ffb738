package org.rlhf4j.host.metrics.tensorboard;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rlhf4j.api.MetricsSinkFactory;

/**
 * One TensorBoard event file, {@code events.out.tfevents.<seconds>.<host>} in its folder: a first event with the
 * file version, then one event per logged step holding a scalar summary with one value per number, tagged
 * {@code <stage>/<key>} (TensorBoard groups the charts by the part before the slash). A boolean is 1 or 0; a
 * string, and a row without a step ({@code step < 0}: a stage's totals, kept in {@code metrics.jsonl}), are left
 * out. NaN and infinities are kept (TensorBoard draws them at the edge). Flushed after every call, so a killed run
 * keeps every step it logged; a resumed run writes a file of its own beside the earlier one (a second file opened
 * in the same second gets a {@code .1} suffix), and TensorBoard reads them in name order.
 *
 * <p>Event and summary fields: {@link EventProto}; framing: {@link TfRecordWriter}. Thread-safe.
 */
final class TensorBoardSink implements MetricsSinkFactory.Sink {

    static final String PREFIX = "events.out.tfevents.";

    private final Path file;
    private final TfRecordWriter records;

    private TensorBoardSink(Path file, OutputStream out) throws IOException {
        this.file = file;
        this.records = new TfRecordWriter(new BufferedOutputStream(out));
        records.write(EventProto.fileVersion(now()));
        records.flush();
    }

    /** Opens a new event file in {@code folder} (created if missing). */
    static TensorBoardSink open(Path folder) throws IOException {
        Files.createDirectories(folder);
        String base = PREFIX + System.currentTimeMillis() / 1000 + "." + host();
        for (int n = 0; ; n++) {
            Path file = folder.resolve(n == 0 ? base : base + "." + n);
            try {
                return new TensorBoardSink(file, Files.newOutputStream(file, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE));
            } catch (FileAlreadyExistsException taken) {
                // an earlier process of this run opened one in the same second: take the next suffix
            }
        }
    }

    /** The event file written. */
    Path file() {
        return file;
    }

    @Override
    public synchronized void log(String stage, long step, Map<String, ?> values) {
        if (step < 0) {
            return;
        }
        Map<String, Float> scalars = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : values.entrySet()) {
            Object v = e.getValue();
            if (v instanceof Number n) {
                scalars.put(stage + "/" + e.getKey(), n.floatValue());
            } else if (v instanceof Boolean b) {
                scalars.put(stage + "/" + e.getKey(), b ? 1f : 0f);
            }
        }
        if (scalars.isEmpty()) {
            return;
        }
        try {
            records.write(EventProto.scalars(now(), step, scalars));
            records.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        records.close();
    }

    private static double now() {
        return System.currentTimeMillis() / 1000.0;
    }

    /** This machine's name as TensorFlow puts it in the file name, reduced to characters safe in one. */
    private static String host() {
        String name;
        try {
            name = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            name = "localhost";
        }
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.isEmpty() ? "localhost" : safe;
    }
}
