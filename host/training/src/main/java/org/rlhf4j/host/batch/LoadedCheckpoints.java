package org.rlhf4j.host.batch;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.model.HfCheckpoint;

/**
 * The checkpoints a JVM has loaded for batch work: one model per checkpoint folder per JVM (an executor, or the
 * process of an in-process run), loaded on first use and shared by every task of the JVM; inference only, so
 * concurrent tasks may use one model. Held until the JVM exits. A folder whose weights file changed (a new
 * checkpoint under the same path) is loaded again.
 */
public final class LoadedCheckpoints {

    private static final Map<String, HfCheckpoint.Loaded> LOADED = new ConcurrentHashMap<>();

    private LoadedCheckpoints() {
    }

    /** The checkpoint in {@code dir} on {@code device}; a missing or broken one fails naming the folder and file. */
    public static HfCheckpoint.Loaded get(String dir, Device device) {
        Path path = Path.of(dir).toAbsolutePath().normalize();
        String key;
        try {
            check(path);
            Path weights = path.resolve(HfCheckpoint.WEIGHTS);
            key = path + "|" + Files.getLastModifiedTime(weights).toMillis() + "|" + Files.size(weights) + "|" + device;
        } catch (IOException e) {
            throw new StageFailure("checkpoint " + path + ": " + e.getMessage(), e);
        }
        return LOADED.computeIfAbsent(key, k -> {
            try {
                return HfCheckpoint.load(path, device);
            } catch (IOException e) {
                throw new StageFailure("cannot load the checkpoint " + path + ": " + e.getMessage(), e);
            }
        });
    }

    /** Fails naming the folder and the missing file unless {@code dir} holds a checkpoint's three files. */
    public static void check(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("no such folder " + dir);
        }
        for (String f : new String[] {HfCheckpoint.CONFIG, HfCheckpoint.WEIGHTS, HfCheckpoint.TOKENIZER}) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new IOException(dir + " is not a GPT-2 checkpoint: " + f + " is missing");
            }
        }
    }
}
