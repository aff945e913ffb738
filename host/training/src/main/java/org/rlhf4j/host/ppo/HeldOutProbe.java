package org.rlhf4j.host.ppo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rlhf4j.api.data.Message;
import org.rlhf4j.api.reward.PromptAnswer;
import org.rlhf4j.api.reward.Reward;
import org.rlhf4j.api.reward.RewardModel;
import org.rlhf4j.host.evaluate.RuleJudge;
import org.rlhf4j.host.model.Generator;

/**
 * Answers the same held-out prompts with the current policy (same seed every time, so differences come
 * from the policy) and measures them twice: by the reward model, and by the independent {@link RuleJudge}
 * (politeness, correctness against the prompt's {@code expected} answer, harmful compliance, distinct-2).
 * Every answer goes to a samples file, so the report can show the same prompts before and after.
 */
final class HeldOutProbe {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<PromptSet.Prompt> prompts;
    private final RewardModel reward;
    private final RewardModel cost;
    private final Path samples;
    private final long seed;
    private final String stage;

    HeldOutProbe(List<PromptSet.Prompt> prompts, RewardModel reward, RewardModel cost, Path samples, long seed, String stage) {
        this.stage = stage;
        this.prompts = prompts;
        this.reward = reward;
        this.cost = cost;
        this.samples = samples;
        this.seed = seed;
    }

    /** Answers every held-out prompt with {@code generator}, logs them under {@code step}, returns the figures. */
    Map<String, Object> probe(Generator generator, PpoModels models, int step) throws Exception {
        List<String> answers = new ArrayList<>();
        List<List<String>> pieces = new ArrayList<>();
        int batch = 32;
        for (int i = 0; i < prompts.size(); i += batch) {
            List<PromptSet.Prompt> chunk = prompts.subList(i, Math.min(prompts.size(), i + batch));
            Generator.Generation g = generator.generate(chunk.stream().map(PromptSet.Prompt::ids).toList(), seed + i, true);
            for (int b = 0; b < chunk.size(); b++) {
                int[] resp = g.response(b);
                int keep = g.stopped()[b] ? resp.length - 1 : resp.length;
                answers.add(models.tokenizer().decode(java.util.Arrays.copyOf(resp, Math.max(0, keep))));
                List<String> own = new ArrayList<>();
                for (int id : resp) {
                    own.add(models.tokenizer().decode(new int[] {id})); // one piece per token, the stop token included, as rollouts
                }
                pieces.add(own);
            }
        }
        List<PromptAnswer> pairs = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            pairs.add(new PromptAnswer(prompts.get(i).text(), answers.get(i), prompts.get(i).meta(), pieces.get(i)));
        }
        List<Reward> scores = ScoredRollout.rewards(reward, pairs, prompts, stage, step, "reward");
        List<Reward> costs = cost == null ? null : ScoredRollout.rewards(cost, pairs, prompts, stage, step, "cost");
        double scoreSum = 0;
        double costSum = 0;
        int polite = 0;
        int correct = 0;
        int withExpected = 0;
        int unsafe = 0;
        int harmful = 0;
        double harmfulScoreSum = 0;
        double dialogueScoreSum = 0;
        int dialogues = 0;
        int dialoguesCorrect = 0;
        Files.createDirectories(samples.getParent());
        try (BufferedWriter out = Files.newBufferedWriter(samples, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
            for (int i = 0; i < prompts.size(); i++) {
                String a = answers.get(i);
                Map<String, String> meta = prompts.get(i).meta();
                scoreSum += scores.get(i).score();
                polite += RuleJudge.polite(a) ? 1 : 0;
                if (meta.containsKey("expected")) {
                    withExpected++;
                    correct += RuleJudge.correct(a, meta.get("expected")) ? 1 : 0;
                }
                if ("safety-sensitive".equals(meta.get("category"))) {
                    harmful++;
                    harmfulScoreSum += scores.get(i).score();
                    unsafe += RuleJudge.unsafe(a) ? 1 : 0;
                }
                if (prompts.get(i).messages().size() > 1) {   // a multi-turn dialogue: its last answer was generated
                    dialogues++;
                    dialogueScoreSum += scores.get(i).score();
                    dialoguesCorrect += meta.containsKey("expected") && RuleJudge.correct(a, meta.get("expected")) ? 1 : 0;
                }
                ObjectNode line = JSON.createObjectNode().put("step", step).put("id", prompts.get(i).id())
                        .put("prompt", prompts.get(i).text()).put("answer", a).put("score", scores.get(i).score());
                if (meta.containsKey("category")) {
                    line.put("category", meta.get("category"));
                }
                List<Message> turns = prompts.get(i).messages();
                if (turns.size() > 1) {   // the dialogue before the last question, one "role: text" per turn
                    ArrayNode context = line.putArray("context");
                    turns.subList(0, turns.size() - 1).forEach(t -> context.add(t.role().name().toLowerCase() + ": " + t.content()));
                }
                if (costs != null) {
                    costSum += costs.get(i).score();
                    line.put("cost", costs.get(i).score());
                }
                out.write(JSON.writeValueAsString(line));
                out.newLine();
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        int n = prompts.size();
        m.put("heldout-reward", scoreSum / n);
        m.put("heldout-polite", (double) polite / n);
        if (withExpected > 0) {
            m.put("heldout-correct", (double) correct / withExpected);
        }
        if (harmful > 0) {
            m.put("heldout-unsafe", (double) unsafe / harmful);
            m.put("heldout-reward-harmful", harmfulScoreSum / harmful);
            if (harmful < n) {   // the helpful share alone: where a safe policy should lose no reward
                m.put("heldout-reward-helpful", (scoreSum - harmfulScoreSum) / (n - harmful));
            }
        }
        if (dialogues > 0) {
            m.put("heldout-reward-dialogue", dialogueScoreSum / dialogues);
            m.put("heldout-correct-dialogue", (double) dialoguesCorrect / dialogues);
        }
        if (costs != null) {
            m.put("heldout-cost", costSum / n);
        }
        m.put("heldout-distinct-2", RuleJudge.distinct2(answers));
        return m;
    }

    /** Peak resident memory of this process in MB (Linux VmHWM), or -1 where it cannot be read. */
    static double peakMemoryMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
