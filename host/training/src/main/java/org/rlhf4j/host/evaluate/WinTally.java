package org.rlhf4j.host.evaluate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.rlhf4j.host.report.Evaluation;
import org.rlhf4j.host.report.LanguageModelFigures;

/**
 * One judge's verdicts added up per category: wins, losses and ties of the evaluated model against the
 * previous one, its win rate (a tie counts one half) and the reasons it lost, most frequent first.
 */
final class WinTally {

    /** The counts of one category (or of all, under {@link #ALL}). */
    static final class Counts {
        int wins;
        int losses;
        int ties;
        final Map<String, Integer> lossReasons = new TreeMap<>();

        int n() {
            return wins + losses + ties;
        }

        /** (wins + ties / 2) / n; NaN when nothing was judged. */
        double winRate() {
            return n() == 0 ? Double.NaN : (wins + 0.5 * ties) / n();
        }

        /** The {@code limit} most frequent loss reasons, ties by name. */
        List<Evaluation.Reason> topReasons(int limit) {
            return lossReasons.entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .limit(limit)
                    .map(e -> new Evaluation.Reason(e.getKey(), e.getValue()))
                    .toList();
        }
    }

    static final String ALL = "(all)";

    private final String judge;
    private final Map<String, Counts> counts = new LinkedHashMap<>();

    WinTally(String judge, List<PairJudge.Pair> pairs, List<PairJudge.Verdict> verdicts) {
        this.judge = judge;
        counts.put(ALL, new Counts());
        for (PairJudge.Verdict v : verdicts) {
            String category = pairs.get(v.pair()).item().category();
            for (Counts c : List.of(counts.get(ALL), counts.computeIfAbsent(category, k -> new Counts()))) {
                switch (v.winner()) {
                    case CURRENT -> c.wins++;
                    case TIE -> c.ties++;
                    case PREVIOUS -> {
                        c.losses++;
                        v.reasons().forEach(r -> c.lossReasons.merge(r.toLowerCase(Locale.ROOT), 1, Integer::sum));
                    }
                }
            }
        }
    }

    String judge() {
        return judge;
    }

    /** All verdicts together. */
    Counts overall() {
        return counts.get(ALL);
    }

    /** The counts of a category; empty counts when the judge gave it no verdict. */
    Counts of(String category) {
        return counts.getOrDefault(category, new Counts());
    }

    /** The judge's win rate and verdict count over one category's prompts, or over all ({@link #ALL}). */
    LanguageModelFigures.JudgeRate rate(String category) {
        Counts c = of(category);
        return new LanguageModelFigures.JudgeRate(judge, Figures.finite(c.winRate()), c.n());
    }

    /** One tally per category this judge judged, the overall one ({@link #ALL}) first. */
    List<LanguageModelFigures.Tally> rows() {
        List<LanguageModelFigures.Tally> out = new ArrayList<>();
        counts.forEach((category, c) -> out.add(new LanguageModelFigures.Tally(judge, category, c.n(), c.wins, c.losses, c.ties,
                Figures.finite(c.winRate()))));
        return out;
    }
}
