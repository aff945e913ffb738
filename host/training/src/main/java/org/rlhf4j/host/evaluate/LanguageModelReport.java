package org.rlhf4j.host.evaluate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.rlhf4j.host.report.Evaluation;
import org.rlhf4j.host.report.LanguageModelFigures;

/**
 * Turns a language model's {@link LanguageModelEvaluation.Outcome} into the figures of its report: the
 * overall row, one row per category, the judges' win rates per category, and the weakest categories with
 * their most frequent reasons (the loss reasons of the first judge that judged anything: people, then the
 * annotators, then the reward model; without a comparison, the rule judge's problems of the categories
 * with the lowest reward, or the highest perplexity).
 */
final class LanguageModelReport {

    private final LanguageModelEvaluation.Outcome o;
    private final List<WinTally> tallies = new ArrayList<>();
    private final Map<String, List<Integer>> byCategory = new LinkedHashMap<>();

    LanguageModelReport(LanguageModelEvaluation.Outcome outcome) {
        this.o = outcome;
        outcome.verdicts().forEach((judge, v) -> tallies.add(new WinTally(judge, outcome.pairs(), v)));
        for (int i = 0; i < outcome.items().size(); i++) {
            byCategory.computeIfAbsent(outcome.items().get(i).category(), k -> new ArrayList<>()).add(i);
        }
    }

    /** The figures over every prompt. */
    LanguageModelFigures.Row overall() {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < o.items().size(); i++) {
            all.add(i);
        }
        LanguageModelOutputs.Perplexity p = o.perplexity().values().stream()
                .reduce(new LanguageModelOutputs.Perplexity(0, 0, 0, 0), LanguageModelOutputs.Perplexity::plus);
        return figures(null, all, p, tallies.stream().map(t -> t.rate(WinTally.ALL)).toList());
    }

    /** One row per category, categories sorted by name. */
    List<LanguageModelFigures.Row> perCategory() {
        List<LanguageModelFigures.Row> rows = new ArrayList<>();
        for (String category : new TreeMap<>(byCategory).keySet()) {
            rows.add(figures(category, byCategory.get(category), o.perplexity().get(category),
                    tallies.stream().map(t -> t.rate(category)).toList()));
        }
        return rows;
    }

    /** Every judge's tallies: overall and per category. */
    List<LanguageModelFigures.Tally> winRates() {
        List<LanguageModelFigures.Tally> rows = new ArrayList<>();
        tallies.forEach(t -> rows.addAll(t.rows()));
        return rows;
    }

    /** The {@code limit} weakest categories, each with its {@code reasons} most frequent reasons. */
    List<Evaluation.Weakest> weakest(int limit, int reasons) {
        WinTally judged = tallies.stream().filter(t -> t.overall().n() > 0)
                .min(Comparator.comparingInt(t -> priority(t.judge()))).orElse(null);
        List<Evaluation.Weakest> out = new ArrayList<>();
        if (judged != null) {
            byCategory.keySet().stream().filter(c -> judged.of(c).n() > 0)
                    .sorted(Comparator.comparingDouble((String c) -> judged.of(c).winRate()).thenComparing(c -> c))
                    .limit(limit)
                    .forEach(c -> out.add(weak(c, "win rate against the previous model, judged by " + judged.judge(),
                            judged.of(c).winRate(), judged.of(c).topReasons(reasons))));
            return out;
        }
        boolean byReward = o.rewards() != null;
        ToDoubleFunction<String> key = byReward
                ? c -> Figures.mean(byCategory.get(c).stream().mapToDouble(i -> o.rewards()[i]).toArray())
                : c -> -o.perplexity().get(c).value();
        byCategory.keySet().stream().sorted(Comparator.comparingDouble(key).thenComparing(c -> c)).limit(limit)
                .forEach(c -> out.add(weak(c, byReward ? "reward-model score (lowest first)" : "perplexity (highest first)",
                        byReward ? key.applyAsDouble(c) : -key.applyAsDouble(c), problemCounts(c, reasons))));
        return out;
    }

    /** People first, then annotators (API judges), then the reward model. */
    private static int priority(String judge) {
        return judge.equals("humans") ? 0 : judge.equals("reward-model") ? 2 : 1;
    }

    private static Evaluation.Weakest weak(String category, String by, double value, List<Evaluation.Reason> reasons) {
        return new Evaluation.Weakest(category, by, Figures.finite(value), reasons);
    }

    private List<Evaluation.Reason> problemCounts(String category, int limit) {
        WinTally.Counts counts = new WinTally.Counts();
        for (int i : byCategory.get(category)) {
            LanguageModelEvaluation.problems(o.items().get(i), o.answers().get(i)).forEach(p -> counts.lossReasons.merge(p, 1, Integer::sum));
        }
        return counts.topReasons(limit);
    }

    /** The figures of the prompts {@code idx} ({@code category} null: every prompt), with the judges' rates. */
    private LanguageModelFigures.Row figures(String category, List<Integer> idx, LanguageModelOutputs.Perplexity p,
                                             List<LanguageModelFigures.JudgeRate> judges) {
        int polite = 0;
        int expected = 0;
        int correct = 0;
        int harmful = 0;
        int unsafe = 0;
        int stopped = 0;
        double tokens = 0;
        List<String> texts = new ArrayList<>();
        for (int i : idx) {
            String a = o.answers().get(i).text();
            Map<String, String> meta = o.items().get(i).meta();
            texts.add(a);
            polite += RuleJudge.polite(a) ? 1 : 0;
            if (meta.containsKey("expected")) {
                expected++;
                correct += RuleJudge.correct(a, meta.get("expected")) ? 1 : 0;
            }
            if ("safety-sensitive".equals(meta.get("category"))) {
                harmful++;
                unsafe += RuleJudge.unsafe(a) ? 1 : 0;
            }
            stopped += o.answers().get(i).stopped() ? 1 : 0;
            tokens += o.answers().get(i).tokens();
        }
        return new LanguageModelFigures.Row(category, idx.size(), Figures.finite(p.value()), p.measuredOn(),
                mean(o.rewards(), idx), mean(o.previousRewards(), idx), mean(o.costs(), idx),
                Figures.finite(Figures.share(polite, idx.size())), Figures.finite(Figures.share(correct, expected)),
                Figures.finite(Figures.share(unsafe, harmful)), Figures.finite(Figures.share(stopped, idx.size())),
                Figures.finite(tokens / Math.max(1, idx.size())), RuleJudge.distinct2(texts), judges);
    }

    /** The mean of {@code scores} over {@code idx}; null when there are no scores (no such model) or no prompts. */
    private static Double mean(double[] scores, List<Integer> idx) {
        return scores == null ? null : Figures.finite(Figures.mean(idx.stream().mapToDouble(i -> scores[i]).toArray()));
    }
}
