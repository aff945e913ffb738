package org.rlhf4j.host.metrics.tensorboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the TensorBoard sink writes, read back with the tests' own reader (both CRCs checked, every event decoded). */
class TensorBoardSinkTest {

    @TempDir
    Path dir;

    @Test
    void everyNumberOfEveryStepIsAScalarTaggedWithItsStage() throws Exception {
        double before = System.currentTimeMillis() / 1000.0;
        Path file;
        try (TensorBoardSink sink = TensorBoardSink.open(dir.resolve("tensorboard"))) {
            file = sink.file();
            for (int step = 1; step <= 5; step++) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("loss", 3.0 / step);
                row.put("tokens", 64L * step);
                row.put("lr", 1e-4f);
                row.put("clipped", step % 2 == 0);
                row.put("note", "a string is not a scalar");
                sink.log("pretrain", step, row);
            }
            sink.log("sft", 3, Map.of("val-loss", Double.NaN));
            sink.log("pretrain", -1, Map.of("seconds", 12.5)); // an event, not a step: metrics.jsonl only
            sink.log("pretrain", 6, Map.of("event", "strings only")); // nothing to draw: no event
        }
        double after = System.currentTimeMillis() / 1000.0;

        assertTrue(file.getFileName().toString().startsWith("events.out.tfevents."), file.toString());
        List<EventFileReader.Event> events = EventFileReader.read(file);
        assertEquals(7, events.size(), "the file version, five pretrain steps, one sft step: " + events);
        assertEquals("brain.Event:2", events.get(0).fileVersion());
        assertTrue(events.get(0).values().isEmpty());
        for (int step = 1; step <= 5; step++) {
            EventFileReader.Event e = events.get(step);
            assertEquals(step, e.step());
            assertNull(e.fileVersion());
            assertEquals(Map.of("pretrain/loss", (float) (3.0 / step), "pretrain/tokens", 64f * step,
                    "pretrain/lr", 1e-4f, "pretrain/clipped", step % 2 == 0 ? 1f : 0f), e.values());
        }
        EventFileReader.Event sft = events.get(6);
        assertEquals(3, sft.step());
        assertTrue(Float.isNaN(sft.values().get("sft/val-loss")), sft.toString());
        for (EventFileReader.Event e : events) {
            assertTrue(e.wallTime() >= before - 0.001 && e.wallTime() <= after + 0.001, e + " outside " + before + ".." + after);
        }
    }

    @Test
    void eachStepIsOnDiskWhenLogReturns() throws Exception {
        try (TensorBoardSink sink = TensorBoardSink.open(dir)) {
            sink.log("ppo", 1, Map.of("reward", 0.5));
            List<EventFileReader.Event> events = EventFileReader.read(sink.file()); // before close: a killed run keeps it
            assertEquals(2, events.size());
            assertEquals(Map.of("ppo/reward", 0.5f), events.get(1).values());
        }
    }

    @Test
    void aSecondSinkInTheSameFolderWritesAFileOfItsOwn() throws Exception {
        Path first;
        Path second;
        try (TensorBoardSink a = TensorBoardSink.open(dir)) {
            a.log("sft", 1, Map.of("loss", 2.0));
            first = a.file();
        }
        try (TensorBoardSink b = TensorBoardSink.open(dir)) { // a resume, maybe within the same second
            b.log("sft", 2, Map.of("loss", 1.0));
            second = b.file();
        }
        assertNotEquals(first, second);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(2, files.count());
        }
        assertEquals(1, EventFileReader.read(first).get(1).step());
        assertEquals(2, EventFileReader.read(second).get(1).step());
    }

    @Test
    void theReaderRefusesAFlippedByte() throws Exception {
        Path file;
        try (TensorBoardSink sink = TensorBoardSink.open(dir)) {
            sink.log("sft", 1, Map.of("loss", 2.0));
            file = sink.file();
        }
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 6] ^= 1; // inside the last record's data
        Files.write(file, bytes);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> EventFileReader.read(file));
        assertTrue(e.getMessage().contains("record 1") && e.getMessage().contains("data's CRC"), e.getMessage());
    }
}
