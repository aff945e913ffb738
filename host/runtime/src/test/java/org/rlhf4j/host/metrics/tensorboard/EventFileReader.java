package org.rlhf4j.host.metrics.tensorboard;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The tests' own reader of a TensorBoard event file, written from the format documents and not from the writer:
 * TFRecord framing (https://www.tensorflow.org/tutorials/load_data/tfrecord, both masked CRC-32Cs checked) and the
 * Event fields of tensorflow/core/util/event.proto and tensorflow/core/framework/summary.proto that a scalar log
 * uses. Any other field, a bad CRC, or a record cut short fails naming the record and byte offset.
 */
public final class EventFileReader {

    /** One decoded Event: {@code fileVersion} is null unless set; {@code values} holds tag to simple_value. */
    public record Event(double wallTime, long step, String fileVersion, Map<String, Float> values) {
    }

    private EventFileReader() {
    }

    public static List<Event> read(Path file) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<Event> events = new ArrayList<>();
        while (in.hasRemaining()) {
            int at = in.position();
            String where = file.getFileName() + ": record " + events.size() + " at byte " + at;
            require(in.remaining() >= 12, where + ": header cut short");
            byte[] length = new byte[8];
            in.get(length);
            require(in.getInt() == masked(length), where + ": the length's CRC does not match");
            long n = ByteBuffer.wrap(length).order(ByteOrder.LITTLE_ENDIAN).getLong();
            require(n >= 0 && n <= in.remaining() - 4, where + ": data cut short (" + n + " bytes announced)");
            byte[] data = new byte[(int) n];
            in.get(data);
            require(in.getInt() == masked(data), where + ": the data's CRC does not match");
            events.add(event(ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN), where));
        }
        return events;
    }

    /** CRC-32C rotated right by 15 bits plus 0xa282ead8, as the TFRecord document gives it. */
    private static int masked(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        long c = crc.getValue();
        long rotated = ((c >>> 15) | (c << 17)) & 0xFFFFFFFFL;
        return (int) ((rotated + 0xa282ead8L) & 0xFFFFFFFFL);
    }

    private static Event event(ByteBuffer b, String where) {
        double wallTime = 0;
        long step = 0;
        String fileVersion = null;
        Map<String, Float> values = new LinkedHashMap<>();
        while (b.hasRemaining()) {
            long key = varint(b);
            int field = (int) (key >>> 3);
            int type = (int) (key & 7);
            if (field == 1 && type == 1) {
                wallTime = b.getDouble();
            } else if (field == 2 && type == 0) {
                step = varint(b);
            } else if (field == 3 && type == 2) {
                fileVersion = new String(bytes(b), StandardCharsets.UTF_8);
            } else if (field == 5 && type == 2) {
                summary(ByteBuffer.wrap(bytes(b)).order(ByteOrder.LITTLE_ENDIAN), values, where);
            } else {
                throw new IllegalStateException(where + ": Event field " + field + " of wire type " + type);
            }
        }
        return new Event(wallTime, step, fileVersion, values);
    }

    private static void summary(ByteBuffer b, Map<String, Float> values, String where) {
        while (b.hasRemaining()) {
            long key = varint(b);
            require(key == (1 << 3 | 2), where + ": Summary key " + key);
            ByteBuffer value = ByteBuffer.wrap(bytes(b)).order(ByteOrder.LITTLE_ENDIAN);
            String tag = null;
            Float simple = null;
            while (value.hasRemaining()) {
                long k = varint(value);
                if (k == (1 << 3 | 2)) {
                    tag = new String(bytes(value), StandardCharsets.UTF_8);
                } else if (k == (2 << 3 | 5)) {
                    simple = value.getFloat();
                } else {
                    throw new IllegalStateException(where + ": Summary.Value key " + k);
                }
            }
            require(tag != null && simple != null, where + ": a Summary.Value without tag or simple_value");
            require(values.put(tag, simple) == null, where + ": tag " + tag + " twice in one summary");
        }
    }

    private static long varint(ByteBuffer b) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte x = b.get();
            v |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return v;
            }
        }
        throw new IllegalStateException("varint longer than 10 bytes");
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[(int) varint(b)];
        b.get(out);
        return out;
    }

    private static void require(boolean ok, String problem) {
        if (!ok) {
            throw new IllegalStateException(problem);
        }
    }
}
