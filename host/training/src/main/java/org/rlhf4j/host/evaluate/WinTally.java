package org.rlhf4j.host.evaluate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

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
        List<Map<String, Object>> topReasons(int limit) {
            List<Map<String, Object>> out = new ArrayList<>();
            lossReasons.entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .limit(limit)
                    .forEach(e -> {
                        Map<String, Object> r = new LinkedHashMap<>();
                        r.put("reason", e.getKey());
                        r.put("count", e.getValue());
                        out.add(r);
                    });
            return out;
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

    /** Rows of {judge, category, n, wins, losses, ties, win-rate}, the overall row first. */
    List<Map<String, Object>> rows() {
        List<Map<String, Object>> out = new ArrayList<>();
        counts.forEach((category, c) -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("judge", judge);
            r.put("category", category);
            r.put("n", c.n());
            r.put("wins", c.wins);
            r.put("losses", c.losses);
            r.put("ties", c.ties);
            r.put("win-rate", Figures.finite(c.winRate()));
            out.add(r);
        });
        return out;
    }
}
