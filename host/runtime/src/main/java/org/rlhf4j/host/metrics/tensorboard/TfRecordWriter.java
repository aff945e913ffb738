package org.rlhf4j.host.metrics.tensorboard;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Writes TFRecord framing, the container of TensorBoard's event files
 * (https://www.tensorflow.org/tutorials/load_data/tfrecord, "TFRecords format details";
 * {@code tensorflow/core/lib/io/record_writer.cc}). Each record is
 * <pre>
 * uint64 length                      (little-endian)
 * uint32 masked_crc32c(length)       (of those 8 bytes)
 * byte   data[length]
 * uint32 masked_crc32c(data)
 * </pre>
 * where {@code masked_crc32c(x) = ((crc >>> 15) | (crc << 17)) + 0xa282ead8} over the CRC-32C (Castagnoli) of x.
 * Not thread-safe; {@link TensorBoardSink} serialises its calls.
 */
final class TfRecordWriter implements Closeable {

    private static final int MASK_DELTA = 0xa282ead8;

    private final OutputStream out;

    TfRecordWriter(OutputStream out) {
        this.out = out;
    }

    /** Appends one record holding {@code data}. */
    void write(byte[] data) throws IOException {
        byte[] length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(data.length).array();
        out.write(length);
        out.write(littleEndian(maskedCrc32c(length)));
        out.write(data);
        out.write(littleEndian(maskedCrc32c(data)));
    }

    void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    /** The masked CRC-32C of {@code bytes}: the CRC rotated right by 15 bits plus a constant. */
    static int maskedCrc32c(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + MASK_DELTA;
    }

    private static byte[] littleEndian(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }
}
