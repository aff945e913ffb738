package org.rlhf4j.host.metrics.tensorboard;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The few fields of TensorFlow's {@code Event} protobuf that a log of scalars needs, encoded by hand in the protobuf
 * wire format (https://protobuf.dev/programming-guides/encoding/), so the host needs no protobuf library.
 *
 * <p>From {@code tensorflow/core/util/event.proto}: {@code Event { double wall_time = 1; int64 step = 2;
 * oneof what { string file_version = 3; ... Summary summary = 5; ... } }}. From
 * {@code tensorflow/core/framework/summary.proto}: {@code Summary { repeated Value value = 1; }} and
 * {@code Summary.Value { string tag = 1; oneof value { float simple_value = 2; ... } }}. Each field is a key
 * ({@code field number << 3 | wire type}) as a varint, then the value: a varint (type 0), 8 bytes little-endian
 * (type 1, a double), a varint length and that many bytes (type 2: a string or a nested message), or 4 bytes
 * little-endian (type 5, a float).
 */
final class EventProto {

    /** The {@code file_version} of the first event of every file: TensorBoard reads version 2 files. */
    static final String FILE_VERSION = "brain.Event:2";

    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LENGTH_DELIMITED = 2;
    private static final int FIXED32 = 5;

    private static final int EVENT_WALL_TIME = 1;
    private static final int EVENT_STEP = 2;
    private static final int EVENT_FILE_VERSION = 3;
    private static final int EVENT_SUMMARY = 5;
    private static final int SUMMARY_VALUE = 1;
    private static final int VALUE_TAG = 1;
    private static final int VALUE_SIMPLE_VALUE = 2;

    private EventProto() {
    }

    /** The event that opens a file: its wall time and {@link #FILE_VERSION}. */
    static byte[] fileVersion(double wallTime) {
        Message event = new Message();
        event.fixed64(EVENT_WALL_TIME, Double.doubleToRawLongBits(wallTime));
        event.bytes(EVENT_FILE_VERSION, FILE_VERSION.getBytes(StandardCharsets.UTF_8));
        return event.toByteArray();
    }

    /** One event holding a summary with one {@code simple_value} per entry of {@code scalars} (tag to value). */
    static byte[] scalars(double wallTime, long step, Map<String, Float> scalars) {
        Message summary = new Message();
        for (Map.Entry<String, Float> e : scalars.entrySet()) {
            Message value = new Message();
            value.bytes(VALUE_TAG, e.getKey().getBytes(StandardCharsets.UTF_8));
            value.fixed32(VALUE_SIMPLE_VALUE, Float.floatToRawIntBits(e.getValue()));
            summary.bytes(SUMMARY_VALUE, value.toByteArray());
        }
        Message event = new Message();
        event.fixed64(EVENT_WALL_TIME, Double.doubleToRawLongBits(wallTime));
        event.varint(EVENT_STEP, step);
        event.bytes(EVENT_SUMMARY, summary.toByteArray());
        return event.toByteArray();
    }

    /** The bytes of one message being written, field by field. */
    private static final class Message {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void varint(int field, long value) {
            key(field, VARINT);
            rawVarint(value);
        }

        void fixed64(int field, long bits) {
            key(field, FIXED64);
            for (int i = 0; i < 8; i++) {
                out.write((int) (bits >>> (8 * i)));
            }
        }

        void fixed32(int field, int bits) {
            key(field, FIXED32);
            for (int i = 0; i < 4; i++) {
                out.write(bits >>> (8 * i));
            }
        }

        void bytes(int field, byte[] value) {
            key(field, LENGTH_DELIMITED);
            rawVarint(value.length);
            out.writeBytes(value);
        }

        private void key(int field, int wireType) {
            rawVarint((long) field << 3 | wireType);
        }

        /** Seven bits per byte, least significant first, the high bit set on every byte but the last. */
        private void rawVarint(long value) {
            long v = value;
            while ((v & ~0x7FL) != 0) {
                out.write((int) (v & 0x7F) | 0x80);
                v >>>= 7;
            }
            out.write((int) v);
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
