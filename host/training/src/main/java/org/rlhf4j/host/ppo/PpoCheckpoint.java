package org.rlhf4j.host.ppo;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.rlhf4j.host.run.RunDirectory;
import org.rlhf4j.api.ppo.KlController;
import org.rlhf4j.api.ppo.PpoScheduler;
import org.rlhf4j.api.ppo.SafetyConstraint;
import org.rlhf4j.host.model.SafeTensors;
import org.rlhf4j.host.trainer.ResumeCheckpoint;
import org.rlhf4j.host.trainer.StateCopy;

/**
 * A PPO stage's resume point: what trains in the actor and critics (every weight, or with LoRA the adapters and
 * value heads: the frozen rest comes from the starting checkpoints again) with their optimizers, the EMA, and the
 * state of the KL controller, the scheduler (running reward statistics) and the safety constraint (lambda and its
 * episode window), after a given step. Written to {@code ppo.tmp} and renamed to {@code ppo}, so a kill while
 * writing keeps the previous one. The step, with the seed, is the random state: step s draws from streams
 * seeded by (seed, s).
 */
final class PpoCheckpoint {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PpoCheckpoint() {
    }

    static void save(Path resume, int step, long seed, PpoModels models, PpoUpdate update, KlController kl,
                     PpoScheduler scheduler, SafetyConstraint safety) throws IOException {
        Path tmp = resume.resolve("ppo.tmp");
        RunDirectory.deleteTree(tmp);
        ResumeCheckpoint.save(tmp.resolve("actor"), models.actor(), update.actorOptimizer(), step, seed);
        if (update.criticOptimizer() != null) {
            ResumeCheckpoint.save(tmp.resolve("critic"), models.critic(), update.criticOptimizer(), step, seed);
        }
        if (update.costOptimizer() != null) {
            ResumeCheckpoint.save(tmp.resolve("cost-critic"), models.costCritic(), update.costOptimizer(), step, seed);
        }
        if (update.ema() != null) {
            Map<String, SafeTensors.Tensor> t = new LinkedHashMap<>();
            update.ema().forEach((k, a) -> t.put(k, new SafeTensors.Tensor(a.toFloatArray(), a.getShape().getShape())));
            SafeTensors.write(tmp.resolve("ema.safetensors"), t);
        }
        ObjectNode state = JSON.createObjectNode();
        state.put("step", step);
        state.set("kl-controller", JSON.valueToTree(kl.state()));
        state.set("scheduler", JSON.valueToTree(scheduler.state()));
        if (safety != null) {
            state.set("safety", JSON.valueToTree(safety.state()));
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.resolve("state.json").toFile(), state);
        Path target = resume.resolve("ppo");
        Path old = resume.resolve("ppo.old");
        RunDirectory.deleteTree(old);
        if (Files.exists(target)) {
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        RunDirectory.deleteTree(old);
    }

    /** Restores the last checkpoint; returns the steps done (0 when there is none). */
    static int restore(Path resume, PpoModels models, PpoUpdate update, KlController kl, PpoScheduler scheduler,
                       SafetyConstraint safety) throws IOException {
        Path dir = resume.resolve("ppo");
        if (!Files.isRegularFile(dir.resolve("state.json"))) {
            return 0;
        }
        JsonNode state = JSON.readTree(dir.resolve("state.json").toFile());
        ResumeCheckpoint.restore(dir.resolve("actor"), models.actor(), update.actorOptimizer());
        if (update.criticOptimizer() != null) {
            ResumeCheckpoint.restore(dir.resolve("critic"), models.critic(), update.criticOptimizer());
        }
        if (update.costOptimizer() != null) {
            ResumeCheckpoint.restore(dir.resolve("cost-critic"), models.costCritic(), update.costOptimizer());
        }
        if (update.ema() != null && Files.exists(dir.resolve("ema.safetensors"))) {
            Map<String, SafeTensors.Tensor> t = SafeTensors.read(dir.resolve("ema.safetensors"));
            for (Map.Entry<String, NDArray> e : update.ema().entrySet()) {
                StateCopy.overwrite(e.getValue(), t.get(e.getKey()).values());
            }
        }
        kl.restore(doubles(state.path("kl-controller")));
        scheduler.restore(doubles(state.path("scheduler")));
        if (safety != null) {
            safety.restore(doubles(state.path("safety")));
        }
        return state.path("step").asInt();
    }

    private static Map<String, Double> doubles(JsonNode node) {
        Map<String, Double> out = new HashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue().isNumber() ? e.getValue().asDouble() : Double.NaN);
        }
        return out;
    }
}
