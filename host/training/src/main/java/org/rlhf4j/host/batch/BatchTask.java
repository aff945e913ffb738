package org.rlhf4j.host.batch;

import ai.djl.Device;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.classify.CategoryLabels;
import org.rlhf4j.host.config.RunSettings;
import org.rlhf4j.host.model.Generator;
import org.rlhf4j.host.model.HfCheckpoint;
import org.rlhf4j.host.model.tokenizer.ChatTemplate;
import org.rlhf4j.host.wiring.DeviceResolver;

/**
 * The per-batch function of a {@link BatchJob}: the same code in-process and in a Spark task. Built once per JVM
 * and job ({@link #of}), it parses its config on construction and loads its checkpoints on the first batch
 * ({@link LoadedCheckpoints}); {@link #run} is safe to call from several task threads at once. A batch's output
 * depends only on its records, the checkpoints and the config: answer j of record r is sampled from a stream
 * seeded by (run.seed, r's id, j), and the batches themselves are fixed by {@link BatchInput}.
 */
public final class BatchTask {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NUMBERS = JsonNodeFactory.instance;
    private static final Map<BatchJob, BatchTask> TASKS = new ConcurrentHashMap<>();

    private final BatchJob job;
    private final Config config;
    private final BatchSettings settings;
    private final ChatTemplate template;
    private final CategoryLabels labels;
    private final long seed;

    private BatchTask(BatchJob job) {
        this.job = job;
        this.config = ConfigFactory.parseString(job.configText()).resolve();
        this.settings = BatchSettings.from(config.getConfig("batch"));
        this.template = ChatTemplate.from(config.getConfig("tokenizer"));
        this.labels = new CategoryLabels(config.getConfig("classify"));
        this.seed = RunSettings.from(config).seed();
    }

    /** This JVM's task for {@code job}, built on first use. */
    public static BatchTask of(BatchJob job) {
        return TASKS.computeIfAbsent(job, BatchTask::new);
    }

    public BatchSettings settings() {
        return settings;
    }

    public CategoryLabels labels() {
        return labels;
    }

    /** One output line per record of {@code batch}, in order. */
    public List<String> run(List<BatchItem> batch) {
        List<BatchItem.Parsed> parsed = batch.stream().map(i -> i.parse(labels)).toList();
        List<ObjectNode> out = new ArrayList<>();
        for (BatchItem.Parsed p : parsed) {
            ObjectNode o = JSON.createObjectNode();
            o.put("id", p.id());
            o.put("category", p.category());
            o.put("prompt", p.prompt());
            out.add(o);
        }
        switch (job.mode()) {
            case GENERATE -> generate(batch, parsed, out);
            case SCORE -> {
                float[] s = AnswerScoring.scores(scorer(job.model()), template, rows(parsed));
                putAnswers(parsed, out);
                putPerAnswer(parsed, out, "score", "scores", i -> NUMBERS.numberNode(s[i]));
            }
            case EVALUATE -> evaluate(parsed, out);
        }
        List<String> lines = new ArrayList<>();
        for (ObjectNode o : out) {
            try {
                lines.add(JSON.writeValueAsString(o));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
        return lines;
    }

    private void generate(List<BatchItem> batch, List<BatchItem.Parsed> parsed, List<ObjectNode> out) {
        HfCheckpoint.Loaded m = model(job.model());
        int k = settings.k();
        int context = m.model().config().context();
        List<int[]> prompts = new ArrayList<>();
        long[] seeds = new long[parsed.size() * k];
        for (int b = 0; b < parsed.size(); b++) {
            int[] ids = template.encodePrompt(m.tokenizer(), parsed.get(b).messages());
            if (ids.length + 1 > context) {
                throw new StageFailure(batch.get(b).where() + ": the prompt is " + ids.length
                        + " tokens, leaving no room for an answer in the model's context of " + context);
            }
            for (int j = 0; j < k; j++) {
                prompts.add(ids);
                seeds[b * k + j] = answerSeed(seed, parsed.get(b).id(), j);
            }
        }
        Generator.Generation g = new Generator(m.model(), m.tokenizer(), settings.generate()).generate(prompts, seeds, true);
        for (int b = 0; b < parsed.size(); b++) {
            ArrayNode answers = out.get(b).putArray("answers");
            for (int j = 0; j < k; j++) {
                int[] response = g.response(b * k + j);
                int keep = g.stopped()[b * k + j] ? response.length - 1 : response.length;
                answers.add(m.tokenizer().decode(Arrays.copyOf(response, Math.max(0, keep))));
            }
        }
    }

    private void evaluate(List<BatchItem.Parsed> parsed, List<ObjectNode> out) {
        List<AnswerScoring.Row> rows = rows(parsed);
        putAnswers(parsed, out);
        if (job.reward() != null) {
            float[] s = AnswerScoring.scores(scorer(job.reward()), template, rows);
            putPerAnswer(parsed, out, "reward", "reward", i -> NUMBERS.numberNode(s[i]));
        }
        if (job.cost() != null) {
            float[] s = AnswerScoring.scores(scorer(job.cost()), template, rows);
            putPerAnswer(parsed, out, "cost", "cost", i -> NUMBERS.numberNode(s[i]));
        }
        if (job.model() != null) {
            List<AnswerScoring.Likelihood> l = AnswerScoring.likelihoods(model(job.model()), template, rows);
            putPerAnswer(parsed, out, "nll", "nll", i -> NUMBERS.numberNode(l.get(i).nll()));
            putPerAnswer(parsed, out, "tokens", "tokens", i -> NUMBERS.numberNode(l.get(i).tokens()));
        }
    }

    private static List<AnswerScoring.Row> rows(List<BatchItem.Parsed> parsed) {
        List<AnswerScoring.Row> rows = new ArrayList<>();
        for (BatchItem.Parsed p : parsed) {
            p.answers().forEach(a -> rows.add(new AnswerScoring.Row(p.messages(), a)));
        }
        return rows;
    }

    private static void putAnswers(List<BatchItem.Parsed> parsed, List<ObjectNode> out) {
        for (int b = 0; b < parsed.size(); b++) {
            if (parsed.get(b).single()) {
                out.get(b).put("answer", parsed.get(b).answers().get(0));
            } else {
                parsed.get(b).answers().forEach(out.get(b).putArray("answers")::add);
            }
        }
    }

    /** Per record: {@code one} = the value of its single answer, or {@code many} = the list over its answers. */
    private static void putPerAnswer(List<BatchItem.Parsed> parsed, List<ObjectNode> out, String one, String many,
                                     IntFunction<JsonNode> value) {
        int at = 0;
        for (int b = 0; b < parsed.size(); b++) {
            if (parsed.get(b).single()) {
                out.get(b).set(one, value.apply(at++));
            } else {
                ArrayNode a = out.get(b).putArray(many);
                for (int i = 0; i < parsed.get(b).answers().size(); i++) {
                    a.add(value.apply(at++));
                }
            }
        }
    }

    private HfCheckpoint.Loaded model(String dir) {
        return LoadedCheckpoints.get(dir, device());
    }

    private HfCheckpoint.Loaded scorer(String dir) {
        HfCheckpoint.Loaded m = model(dir);
        if (!m.model().config().scoreHead()) {
            throw new StageFailure("checkpoint " + dir + " has no score head: it is a language model, not a reward or cost model");
        }
        return m;
    }

    private Device device() {
        return DeviceResolver.resolve(config);
    }

    /** The seed of answer {@code j} of record {@code id}: FNV-1a over the id's UTF-8 bytes, mixed with the run seed and j. */
    static long answerSeed(long runSeed, String id, int j) {
        long h = 0xcbf29ce484222325L ^ runSeed;
        for (byte c : id.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (c & 0xff)) * 0x100000001b3L;
        }
        h ^= j * 0x9e3779b97f4a7c15L;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        return h ^ (h >>> 33);
    }
}
