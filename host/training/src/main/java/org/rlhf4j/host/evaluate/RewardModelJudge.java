package org.rlhf4j.host.evaluate;

import java.util.ArrayList;
import java.util.List;

/**
 * Judges pairs by the reward model's scores of the two answers: the higher score wins, scores within
 * {@code tieMargin} tie. The loser's reasons are the rule judge's problems it has and the winner has not,
 * or "lower reward-model score" when the rules see no difference.
 */
final class RewardModelJudge implements PairJudge {

    private final double[] previousScores;
    private final double[] currentScores;
    private final double tieMargin;

    /** Scores per pair, in the order of the pairs to be judged. */
    RewardModelJudge(double[] previousScores, double[] currentScores, double tieMargin) {
        this.previousScores = previousScores;
        this.currentScores = currentScores;
        this.tieMargin = tieMargin;
    }

    @Override
    public String name() {
        return "reward-model";
    }

    @Override
    public List<Verdict> judge(List<Pair> pairs) {
        List<Verdict> out = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            Pair p = pairs.get(i);
            double d = currentScores[i] - previousScores[i];
            if (Math.abs(d) <= tieMargin) {
                out.add(new Verdict(i, Winner.TIE, List.of()));
            } else if (d > 0) {
                out.add(new Verdict(i, Winner.CURRENT, AnswerProblems.lossReasons(p.previousProblems(), p.currentProblems())));
            } else {
                out.add(new Verdict(i, Winner.PREVIOUS, AnswerProblems.lossReasons(p.currentProblems(), p.previousProblems())));
            }
        }
        return out;
    }
}
