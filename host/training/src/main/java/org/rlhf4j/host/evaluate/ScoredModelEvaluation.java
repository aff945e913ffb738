package org.rlhf4j.host.evaluate;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
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
import org.rlhf4j.host.report.Evaluation;
import org.rlhf4j.host.report.ScoredModelFigures;
import org.rlhf4j.host.reward.LearnedRewardModel;
import org.rlhf4j.host.reward.PreferenceData;
import org.rlhf4j.host.train.OverLong;

/**
 * Evaluates a scored checkpoint (the reward or cost model) on the pairs its training held out, as the stage
 * named by the label ({@code reward} or {@code cost} block) held them out: its {@code held-out} sources, or
 * else the same seeded split of the same prompt groups; scored through the text-level scorer PPO uses.
 * Reports ({@link ScoredModelFigures}) pairwise accuracy and margin overall and per category, and how its
 * scores follow answer length (Pearson's r over every held-out answer, and how often the longer answer of a
 * pair scores higher, beside how often people chose the longer one): a reward model that mostly rewards
 * length is a bias PPO will exploit.
 */
final class ScoredModelEvaluation {

    private static final int MAX_POINTS = 400;

    /** One held-out pair. */
    private record HeldPair(String id, String prompt, String chosen, String rejected, String category) {
    }

    /** A held-out pair with the scores of its chosen and rejected answers. */
    private record Scored(HeldPair pair, double chosen, double rejected) {
        /** Ranked right: the chosen answer scored strictly higher. */
        boolean right() {
            return chosen > rejected;
        }

        /** Why a pair ranked wrong was: equal scores, or which answer by length the model preferred. */
        String why() {
            int lc = pair.chosen().length();
            int lr = pair.rejected().length();
            return chosen == rejected ? "scored both answers the same"
                    : lr > lc ? "preferred the longer answer" : lr < lc ? "preferred the shorter answer" : "misranked answers of equal length";
        }
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

    /**
     * Evaluates the scored model at {@code checkpoint} (configured as {@code checkpointSetting}) on the pairs
     * held out by the stage named {@code label}, naming the {@code weakest} categories with {@code reasons} reasons each.
     */
    ScoredModelFigures evaluate(StageContext ctx, String label, String checkpointSetting, Path checkpoint, Config config,
                                int batchSize, int weakest, int reasons) throws Exception {
        List<HeldPair> pairs = pairs(heldOut(ctx, label, checkpoint, config));
        double[] chosen;
        double[] rejected;
        try (LearnedRewardModel scorer = new LearnedRewardModel(checkpoint.toString(), batchSize, template, run)) {
            chosen = score(scorer, pairs, true);
            rejected = score(scorer, pairs, false);
        }
        List<Scored> scored = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            scored.add(new Scored(pairs.get(i), chosen[i], rejected[i]));
        }
        return new ScoredModelFigures(ctx.stage(), label, checkpointSetting, overall(scored), perCategory(scored),
                weakest(scored, weakest, reasons), points(scored));
    }

    /** The records of the pairs the stage {@code label} held out: its held-out sources, or the same seeded split again. */
    private List<Record> heldOut(StageContext ctx, String label, Path checkpoint, Config config) throws Exception {
        String stage = ctx.stage();
        if (!config.hasPath(label + ".held-out-fraction") || !config.hasPath(label + ".input")) {
            throw new StageFailure("stage " + stage + ": " + checkpoint + " is a scored model, evaluated on the pairs its"
                    + " stage held out; that stage's block '" + label + "' (input, files, sources, held-out) does not exist."
                    + " Name the instance after the stage that trained it (evaluate#reward, evaluate#cost)");
        }
        Config block = config.getConfig(label);
        List<Record> held = new ArrayList<>();
        if (block.hasPath("held-out")) {
            StageInputs.readSources(extensions, block, "held-out", held::add);
        }
        if (held.isEmpty()) { // the stage held out a seeded share of its own groups: the same split again
            GptConfig model = GptConfig.readHf(checkpoint.resolve(HfCheckpoint.CONFIG));
            Tokenizer tokenizer = TokenizerJson.read(checkpoint.resolve(HfCheckpoint.TOKENIZER));
            List<Record> records = new ArrayList<>();
            StageInputs.read(ctx, extensions, block, records::add);
            // The same pairs as the reward stage, over-long ones truncated the same way (its default).
            List<PreferenceData.Group> groups = PreferenceData.load(records, tokenizer, template, model.context(),
                    new OverLong.Tally(stage, OverLong.TRUNCATE));
            Set<String> heldKeys = new HashSet<>();
            PreferenceData.split(groups, block.getDouble("held-out-fraction"), run.seed(label + ".split"), stage).get(1)
                    .forEach(g -> heldKeys.add(g.key()));
            records.stream().filter(r -> r.kind() == Record.Kind.PREFERENCE && heldKeys.contains(key(r))).forEach(held::add);
        }
        return held;
    }

    /** Accuracy and margin over every pair, and how the scores follow answer length. */
    private static ScoredModelFigures.HeldOut overall(List<Scored> scored) {
        int right = 0;
        double margin = 0;
        int longerHigher = 0;
        int chosenLonger = 0;
        int unequal = 0;
        double[] lengths = new double[2 * scored.size()];
        double[] scores = new double[2 * scored.size()];
        for (int i = 0; i < scored.size(); i++) {
            Scored s = scored.get(i);
            right += s.right() ? 1 : 0;
            margin += s.chosen() - s.rejected();
            int lc = s.pair().chosen().length();
            int lr = s.pair().rejected().length();
            if (lc != lr) {
                unequal++;
                chosenLonger += lc > lr ? 1 : 0;
                longerHigher += (lc > lr) == (s.chosen() > s.rejected()) && s.chosen() != s.rejected() ? 1 : 0;
            }
            lengths[2 * i] = lc;
            scores[2 * i] = s.chosen();
            lengths[2 * i + 1] = lr;
            scores[2 * i + 1] = s.rejected();
        }
        return new ScoredModelFigures.HeldOut(scored.size(), Figures.finite(Figures.share(right, scored.size())),
                Figures.finite(scored.isEmpty() ? Double.NaN : margin / scored.size()),
                Figures.finite(Figures.pearson(lengths, scores)), Figures.finite(Figures.share(longerHigher, unequal)),
                Figures.finite(Figures.share(chosenLonger, unequal)));
    }

    /** Pairs and accuracy per category, categories by name. */
    private static List<ScoredModelFigures.CategoryAccuracy> perCategory(List<Scored> scored) {
        List<ScoredModelFigures.CategoryAccuracy> rows = new ArrayList<>();
        byCategory(scored).forEach((category, list) -> rows.add(new ScoredModelFigures.CategoryAccuracy(category, list.size(),
                Figures.finite(accuracy(list)))));
        return rows;
    }

    /** The {@code limit} categories of lowest accuracy (ties by name), each with why its pairs were misranked. */
    private static List<Evaluation.Weakest> weakest(List<Scored> scored, int limit, int reasons) {
        return byCategory(scored).entrySet().stream()
                .sorted(Comparator.comparingDouble((Map.Entry<String, List<Scored>> e) -> accuracy(e.getValue()))
                        .thenComparing(Map.Entry::getKey))
                .limit(limit)
                .map(e -> {
                    WinTally.Counts why = new WinTally.Counts();
                    e.getValue().stream().filter(s -> !s.right()).forEach(s -> why.lossReasons.merge(s.why(), 1, Integer::sum));
                    return new Evaluation.Weakest(e.getKey(), "held-out pairwise accuracy", accuracy(e.getValue()),
                            why.topReasons(reasons));
                })
                .toList();
    }

    /** Score against length of the first pairs' answers, chosen and rejected, at most {@link #MAX_POINTS}. */
    private static List<ScoredModelFigures.ScorePoint> points(List<Scored> scored) {
        List<ScoredModelFigures.ScorePoint> points = new ArrayList<>();
        for (Scored s : scored) {
            if (points.size() >= MAX_POINTS) {
                break;
            }
            points.add(new ScoredModelFigures.ScorePoint(s.pair().chosen().length(), s.chosen(), true));
            points.add(new ScoredModelFigures.ScorePoint(s.pair().rejected().length(), s.rejected(), false));
        }
        return points;
    }

    private static Map<String, List<Scored>> byCategory(List<Scored> scored) {
        Map<String, List<Scored>> out = new TreeMap<>();
        scored.forEach(s -> out.computeIfAbsent(s.pair().category(), k -> new ArrayList<>()).add(s));
        return out;
    }

    /** The share of {@code scored} ranked right (a category always has a pair). */
    private static double accuracy(List<Scored> scored) {
        return (double) scored.stream().filter(Scored::right).count() / scored.size();
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
