package org.rlhf4j.host.trainer;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rlhf4j.host.run.RunDirectory;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.model.Gpt;
import org.rlhf4j.host.model.SafeTensors;

/**
 * An in-progress checkpoint in the stage's resume directory, enough to continue exactly where a killed run
 * stopped: the weights that train ({@link Gpt#trainable}: all of them, or a frozen model's adapters), AdamW's moments and step count, and the training step (which, with the seed, is the
 * random state: see {@link Trainer}). Written to a temporary folder and renamed, so a kill while writing
 * leaves the previous checkpoint whole.
 *
 * <pre>resume/latest/{state.json, model.safetensors, optimizer.safetensors}</pre>
 */
public final class ResumeCheckpoint {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LATEST = "latest";

    private ResumeCheckpoint() {
    }

    /** Saves the state after {@code step} steps. */
    public static void save(Path resume, Gpt model, AdamW optimizer, int step, long seed) throws IOException {
        Path tmp = resume.resolve(LATEST + ".tmp");
        RunDirectory.deleteTree(tmp);
        Files.createDirectories(tmp);
        SafeTensors.write(tmp.resolve("model.safetensors"), tensors(model.trainable(), ""));
        Map<String, SafeTensors.Tensor> moments = new LinkedHashMap<>(tensors(optimizer.firstMoments(), "m."));
        moments.putAll(tensors(optimizer.secondMoments(), "v."));
        SafeTensors.write(tmp.resolve("optimizer.safetensors"), moments);
        ObjectNode state = JSON.createObjectNode();
        state.put("step", step);
        state.put("optimizer-step", optimizer.step());
        state.put("seed", seed);
        state.put("random-state", "batches and dropout of step s are drawn from a stream seeded by (seed, s)");
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.resolve("state.json").toFile(), state);
        Path latest = resume.resolve(LATEST);
        Path old = resume.resolve(LATEST + ".old");
        RunDirectory.deleteTree(old);
        if (Files.exists(latest)) {
            Files.move(latest, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(tmp, latest, StandardCopyOption.ATOMIC_MOVE);
        RunDirectory.deleteTree(old);
    }

    /** Restores the latest checkpoint into the model and optimizer; returns the steps done (0 when none). */
    public static int restore(Path resume, Gpt model, AdamW optimizer) throws IOException {
        Path dir = resume.resolve(LATEST);
        if (!Files.isRegularFile(dir.resolve("state.json"))) {
            return 0;
        }
        JsonNode state = JSON.readTree(dir.resolve("state.json").toFile());
        Map<String, SafeTensors.Tensor> weights = SafeTensors.read(dir.resolve("model.safetensors"));
        for (Map.Entry<String, NDArray> e : model.trainable().entrySet()) {
            SafeTensors.Tensor t = weights.get(e.getKey());
            if (t == null || t.values().length != e.getValue().size()) {
                throw new StageFailure(dir.resolve("model.safetensors") + ": weight " + e.getKey()
                        + " is missing or has another size: the checkpoint was made with another model config");
            }
            StateCopy.overwrite(e.getValue(), t.values());
        }
        Map<String, SafeTensors.Tensor> moments = SafeTensors.read(dir.resolve("optimizer.safetensors"));
        Map<String, float[]> m = new LinkedHashMap<>();
        Map<String, float[]> v = new LinkedHashMap<>();
        moments.forEach((k, t) -> (k.startsWith("m.") ? m : v).put(k.substring(2), t.values()));
        try {
            optimizer.restore(state.path("optimizer-step").asLong(), m, v);
        } catch (IllegalArgumentException e) {
            throw new StageFailure(dir.resolve("optimizer.safetensors") + ": " + e.getMessage());
        }
        return state.path("step").asInt();
    }

    /** Whether {@code resume} holds a checkpoint. */
    public static boolean exists(Path resume) {
        return Files.isRegularFile(resume.resolve(LATEST).resolve("state.json"));
    }

    private static Map<String, SafeTensors.Tensor> tensors(Map<String, NDArray> arrays, String prefix) {
        Map<String, SafeTensors.Tensor> out = new LinkedHashMap<>();
        arrays.forEach((k, a) -> out.put(prefix + k, new SafeTensors.Tensor(a.toFloatArray(), a.getShape().getShape())));
        return out;
    }
}
