package org.rlhf4j.host.evaluate;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.rlhf4j.api.Extensions;
import org.rlhf4j.api.RunContext;
import org.rlhf4j.api.data.Message;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.reward.PromptAnswer;
import org.rlhf4j.api.reward.Reward;
import org.rlhf4j.api.stage.StageContext;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.classify.CategoryLabels;
import org.rlhf4j.host.records.StageInputs;
import org.rlhf4j.host.model.GptConfig;
import org.rlhf4j.host.model.HfCheckpoint;
import org.rlhf4j.host.model.tokenizer.ChatTemplate;
import org.rlhf4j.host.model.tokenizer.Tokenizer;
import org.rlhf4j.host.model.tokenizer.TokenizerJson;
import org.rlhf4j.host.reward.LearnedRewardModel;
import org.rlhf4j.host.reward.PreferenceData;

/**
 * Evaluates a scored checkpoint (the reward or cost model) on the pairs its training held out, as the stage
 * named by the label ({@code reward} or {@code cost} block) held them out: its {@code held-out} sources, or
 * else the same seeded split of the same prompt groups; scored through the text-level scorer PPO uses. Reports pairwise accuracy and margin overall and
 * per category, and how its scores follow answer length (Pearson's r over every held-out answer, and how
 * often the longer answer of a pair scores higher, beside how often people chose the longer one): a reward
 * model that mostly rewards length is a bias PPO will exploit.
 */
final class ScoredModelEvaluation {

    private static final int MAX_POINTS = 400;

    /** One held-out pair. */
    private record HeldPair(String id, String prompt, String chosen, String rejected, String category) {
    }

    private final ChatTemplate template;
    private final CategoryLabels labels;
    private final Extensions extensions;
    private final RunContext run;

    ScoredModelEvaluation(ChatTemplate template, CategoryLabels labels, Extensions extensions, RunContext run) {
        this.template = template;
        this.labels = labels;
        this.extensions = extensions;
        this.run = run;
    }

    Map<String, Object> evaluate(StageContext ctx, String label, Path checkpoint, Config config, int batchSize, int weakest,
                                 int reasons) throws Exception {
        String stage = ctx.stage();
        if (!config.hasPath(label + ".held-out-fraction") || !config.hasPath(label + ".input")) {
            throw new StageFailure("stage " + stage + ": " + checkpoint + " is a scored model, evaluated on the pairs its"
                    + " stage held out; that stage's block '" + label + "' (input, files, sources, held-out) does not exist."
                    + " Name the instance after the stage that trained it (evaluate#reward, evaluate#cost)");
        }
        Config block = config.getConfig(label);
        GptConfig model = GptConfig.readHf(checkpoint.resolve(HfCheckpoint.CONFIG));
        Tokenizer tokenizer = TokenizerJson.read(checkpoint.resolve(HfCheckpoint.TOKENIZER));
        List<Record> held = new ArrayList<>();
        if (block.hasPath("held-out")) {
            StageInputs.readSources(extensions, block, "held-out", held::add);
        }
        if (held.isEmpty()) { // the stage held out a seeded share of its own groups: the same split again
            List<Record> records = new ArrayList<>();
            StageInputs.read(ctx, extensions, block, records::add);
            List<PreferenceData.Group> groups = PreferenceData.load(records, tokenizer, template, model.context(), stage);
            Set<String> heldKeys = new HashSet<>();
            PreferenceData.split(groups, block.getDouble("held-out-fraction"), run.seed(label + ".split"), stage).get(1)
                    .forEach(g -> heldKeys.add(g.key()));
            records.stream().filter(r -> r.kind() == Record.Kind.PREFERENCE && heldKeys.contains(key(r))).forEach(held::add);
        }
        List<HeldPair> pairs = pairs(held);

        double[] chosen;
        double[] rejected;
        try (LearnedRewardModel scorer = new LearnedRewardModel(checkpoint.toString(), batchSize, template, run)) {
            chosen = score(scorer, pairs, true);
            rejected = score(scorer, pairs, false);
        }
        Map<String, int[]> perCategory = new TreeMap<>();      // right, n
        Map<String, Map<String, Integer>> misranked = new TreeMap<>();
        int right = 0;
        double margin = 0;
        int longerHigher = 0;
        int chosenLonger = 0;
        int unequal = 0;
        double[] lengths = new double[2 * pairs.size()];
        double[] scores = new double[2 * pairs.size()];
        List<Map<String, Object>> points = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            HeldPair p = pairs.get(i);
            boolean ok = chosen[i] > rejected[i];
            right += ok ? 1 : 0;
            margin += chosen[i] - rejected[i];
            int[] c = perCategory.computeIfAbsent(p.category(), k -> new int[2]);
            c[0] += ok ? 1 : 0;
            c[1]++;
            int lc = p.chosen().length();
            int lr = p.rejected().length();
            if (lc != lr) {
                unequal++;
                chosenLonger += lc > lr ? 1 : 0;
                longerHigher += (lc > lr) == (chosen[i] > rejected[i]) && chosen[i] != rejected[i] ? 1 : 0;
            }
            if (!ok) {
                String why = chosen[i] == rejected[i] ? "scored both answers the same"
                        : lr > lc ? "preferred the longer answer" : lr < lc ? "preferred the shorter answer" : "misranked answers of equal length";
                misranked.computeIfAbsent(p.category(), k -> new TreeMap<>()).merge(why, 1, Integer::sum);
            }
            lengths[2 * i] = lc;
            scores[2 * i] = chosen[i];
            lengths[2 * i + 1] = lr;
            scores[2 * i + 1] = rejected[i];
            if (points.size() < MAX_POINTS) {
                points.add(Map.of("length", lc, "score", chosen[i], "chosen", true));
                points.add(Map.of("length", lr, "score", rejected[i], "chosen", false));
            }
        }
        Map<String, Object> overall = new LinkedHashMap<>();
        overall.put("held-out-pairs", pairs.size());
        overall.put("held-out-accuracy", Figures.finite(Figures.share(right, pairs.size())));
        overall.put("mean-margin", Figures.finite(pairs.isEmpty() ? Double.NaN : margin / pairs.size()));
        overall.put("length-correlation", Figures.finite(Figures.pearson(lengths, scores)));
        overall.put("longer-answer-scored-higher", Figures.finite(Figures.share(longerHigher, unequal)));
        overall.put("people-chose-the-longer", Figures.finite(Figures.share(chosenLonger, unequal)));

        List<Map<String, Object>> rows = new ArrayList<>();
        perCategory.forEach((category, c) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("category", category);
            row.put("held-out-pairs", c[1]);
            row.put("held-out-accuracy", Figures.finite(Figures.share(c[0], c[1])));
            rows.add(row);
        });
        List<Map<String, Object>> weak = new ArrayList<>();
        perCategory.entrySet().stream()
                .sorted(Comparator.comparingDouble((Map.Entry<String, int[]> e) -> (double) e.getValue()[0] / e.getValue()[1])
                        .thenComparing(Map.Entry::getKey))
                .limit(weakest)
                .forEach(e -> {
                    WinTally.Counts why = new WinTally.Counts();
                    misranked.getOrDefault(e.getKey(), Map.of()).forEach((r, n) -> why.lossReasons.merge(r, n, Integer::sum));
                    Map<String, Object> w = new LinkedHashMap<>();
                    w.put("category", e.getKey());
                    w.put("by", "held-out pairwise accuracy");
                    w.put("value", (double) e.getValue()[0] / e.getValue()[1]);
                    w.put("reasons", why.topReasons(reasons));
                    weak.add(w);
                });
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("overall", overall);
        report.put("per-category", rows);
        report.put("weakest", weak);
        report.put("score-vs-length", points);
        return report;
    }

    /** The key PreferenceData groups a record's pairs by. */
    private String key(Record r) {
        return r.meta().getOrDefault("group", template.text(r.messages()));
    }

    private List<HeldPair> pairs(List<Record> records) {
        List<HeldPair> out = new ArrayList<>();
        for (Record r : records) {
            if (r.kind() != Record.Kind.PREFERENCE || r.answers().size() < 2 || r.messages().isEmpty()) {
                continue;
            }
            List<Message> m = r.messages();
            out.add(new HeldPair(r.id(), m.get(m.size() - 1).content(), r.answers().get(0), r.answers().get(1),
                    EvalSet.category(r.meta(), labels)));
        }
        return out;
    }

    private static double[] score(LearnedRewardModel scorer, List<HeldPair> pairs, boolean chosen) throws Exception {
        List<PromptAnswer> batch = new ArrayList<>();
        for (HeldPair p : pairs) {
            batch.add(new PromptAnswer(p.prompt(), chosen ? p.chosen() : p.rejected(), Map.of("category", p.category())));
        }
        List<Reward> scored = scorer.score(batch);
        double[] out = new double[pairs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = scored.get(i).score();
            if (!Double.isFinite(out[i])) {
                throw new StageFailure("the scored model gave the held-out pair " + pairs.get(i).id() + " a score of " + out[i]);
            }
        }
        return out;
    }
}
