package org.rlhf4j.host.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors format (huggingface/safetensors): an 8-byte little-endian header length, a JSON header
 * naming each tensor's dtype, shape and byte range, then the raw little-endian data. Writes F32 with
 * {@code __metadata__ {"format": "pt"}} (transformers checks it); reads F32, F16 and BF16 as floats.
 */
public final class SafeTensors {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One tensor: row-major values and shape. */
    public record Tensor(float[] values, long[] shape) {
        public Tensor {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            if (n != values.length) {
                throw new IllegalArgumentException("shape " + java.util.Arrays.toString(shape) + " does not hold " + values.length + " values");
            }
        }
    }

    private SafeTensors() {
    }

    /** Writes the tensors in the given order. */
    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        header.putObject("__metadata__").put("format", "pt");
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "F32");
            var shape = t.putArray("shape");
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            long bytes = 4L * e.getValue().values().length;
            t.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;   // the data starts 8-byte aligned, padded with spaces
        byte[] head = java.util.Arrays.copyOf(json, padded);
        java.util.Arrays.fill(head, json.length, padded, (byte) ' ');
        try (OutputStream out = Files.newOutputStream(file)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            out.write(len.array());
            out.write(head);
            for (Tensor t : tensors.values()) {
                ByteBuffer buf = ByteBuffer.allocate(4 * t.values().length).order(ByteOrder.LITTLE_ENDIAN);
                buf.asFloatBuffer().put(t.values());
                out.write(buf.array());
            }
        }
    }

    /** Reads every tensor, in the header's order; errors name the file and tensor. */
    public static Map<String, Tensor> read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(len, 0);
            long n = len.flip().getLong();
            if (n <= 0 || n > 100_000_000 || n + 8 > ch.size()) {
                throw new IOException(file + ": not a safetensors file (header length " + n + ")");
            }
            ByteBuffer head = ByteBuffer.allocate((int) n);
            ch.read(head, 8);
            JsonNode header = JSON.readTree(head.array());
            long base = 8 + n;
            Map<String, Tensor> out = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = header.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    continue;
                }
                JsonNode t = e.getValue();
                long[] shape = new long[t.path("shape").size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = t.path("shape").get(i).asLong();
                }
                long start = t.path("data_offsets").get(0).asLong();
                long end = t.path("data_offsets").get(1).asLong();
                ByteBuffer data = ByteBuffer.allocate(Math.toIntExact(end - start)).order(ByteOrder.LITTLE_ENDIAN);
                ch.read(data, base + start);
                data.flip();
                out.put(e.getKey(), new Tensor(floats(data, t.path("dtype").asText(), file + ": " + e.getKey()), shape));
            }
            return out;
        }
    }

    private static float[] floats(ByteBuffer data, String dtype, String where) throws IOException {
        switch (dtype) {
            case "F32" -> {
                float[] v = new float[data.remaining() / 4];
                data.asFloatBuffer().get(v);
                return v;
            }
            case "F16" -> {
                float[] v = new float[data.remaining() / 2];
                for (int i = 0; i < v.length; i++) {
                    v[i] = halfToFloat(data.getShort());
                }
                return v;
            }
            case "BF16" -> {
                float[] v = new float[data.remaining() / 2];
                for (int i = 0; i < v.length; i++) {
                    v[i] = Float.intBitsToFloat((data.getShort() & 0xffff) << 16);
                }
                return v;
            }
            default -> throw new IOException(where + ": dtype " + dtype + " is not supported (F32, F16, BF16)");
        }
    }

    /** IEEE 754 half precision to float (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;   // subnormal
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }
}
