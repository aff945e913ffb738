package org.rlhf4j.host.evaluate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rlhf4j.api.RunContext;
import org.rlhf4j.api.reward.PromptAnswer;
import org.rlhf4j.api.reward.Reward;
import org.rlhf4j.api.reward.RewardModel;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.model.HfCheckpoint;
import org.rlhf4j.host.model.tokenizer.ChatTemplate;

/**
 * Evaluates a language model (pretrain, SFT, PPO checkpoints) on the evaluation set: perplexity, its
 * sampled answers scored by the reward and cost models and checked by the rule judge, and its win rate
 * against the previous stage's model by every configured judge, all per category.
 */
final class LanguageModelEvaluation {

    /** The previous stage's model: its label and checkpoint. */
    record Previous(String label, Path checkpoint) {
    }

    /** What came out: the answers of both models per prompt, the figures per category, the judges' tallies. */
    record Outcome(List<EvalSet.Item> items, List<LanguageModelOutputs.Answer> answers, double[] rewards, double[] costs,
                   List<LanguageModelOutputs.Answer> previousAnswers, double[] previousRewards,
                   Map<String, LanguageModelOutputs.Perplexity> perplexity, List<PairJudge.Pair> pairs,
                   Map<String, List<PairJudge.Verdict>> verdicts) {
    }

    private final EvaluateSettings settings;
    private final ChatTemplate template;
    private final RunContext run;
    private final String stage;

    LanguageModelEvaluation(EvaluateSettings settings, ChatTemplate template, RunContext run, String stage) {
        this.settings = settings;
        this.template = template;
        this.run = run;
        this.stage = stage;
    }

    /**
     * Runs the evaluation of {@code checkpoint}; {@code previous} may be null (nothing to compare with),
     * {@code reward} and {@code cost} may be null (no such model), {@code judges} are asked in order.
     */
    Outcome evaluate(Path checkpoint, Previous previous, EvalSet set, RewardModel reward, RewardModel cost,
                     List<PairJudge> judges) throws Exception {
        List<EvalSet.Item> items = set.items();
        long seed = run.seed("evaluate.answers"); // the same for every model: a model against itself ties
        Map<String, LanguageModelOutputs.Perplexity> perplexity;
        List<LanguageModelOutputs.Answer> answers;
        try (HfCheckpoint.Loaded m = HfCheckpoint.load(checkpoint, run.device())) {
            if (m.model().config().scoreHead()) {
                throw new StageFailure("stage " + stage + ": " + checkpoint + " has a score head: it is a reward or cost model,"
                        + " which has no answers to evaluate");
            }
            perplexity = LanguageModelOutputs.perplexity(m, template, items, settings.batchSize(), stage);
            answers = LanguageModelOutputs.answers(m, template, items, settings.generate(), settings.batchSize(), seed, stage);
        }
        List<LanguageModelOutputs.Answer> previousAnswers = null;
        if (previous != null) {
            try (HfCheckpoint.Loaded m = HfCheckpoint.load(previous.checkpoint(), run.device())) {
                previousAnswers = LanguageModelOutputs.answers(m, template, items, settings.generate(), settings.batchSize(), seed, stage);
            }
        }
        double[] rewards = reward == null ? null : scores(reward, items, answers, "reward");
        double[] costs = cost == null ? null : scores(cost, items, answers, "cost");
        double[] previousRewards = reward == null || previousAnswers == null ? null : scores(reward, items, previousAnswers, "reward");

        List<PairJudge.Pair> pairs = new ArrayList<>();
        Map<String, List<PairJudge.Verdict>> verdicts = new LinkedHashMap<>();
        if (previousAnswers != null) {
            for (int i = 0; i < items.size(); i++) {
                EvalSet.Item item = items.get(i);
                pairs.add(new PairJudge.Pair(item, previousAnswers.get(i).text(), answers.get(i).text(),
                        problems(item, previousAnswers.get(i)), problems(item, answers.get(i))));
            }
            List<PairJudge> all = new ArrayList<>(judges);
            if (settings.rewardJudge() && rewards != null) {
                all.add(new RewardModelJudge(previousRewards, rewards, settings.tieMargin()));
            }
            for (PairJudge j : all) {
                verdicts.put(j.name(), j.judge(pairs));
            }
        }
        return new Outcome(items, answers, rewards, costs, previousAnswers, previousRewards, perplexity, pairs, verdicts);
    }

    static List<String> problems(EvalSet.Item item, LanguageModelOutputs.Answer answer) {
        return AnswerProblems.of(answer.text(), answer.stopped(), item.meta());
    }

    /** One score per answer; a NaN or infinite score fails naming the prompt. */
    private double[] scores(RewardModel model, List<EvalSet.Item> items, List<LanguageModelOutputs.Answer> answers,
                            String what) throws Exception {
        double[] out = new double[items.size()];
        for (int from = 0; from < items.size(); from += settings.batchSize()) {
            int to = Math.min(items.size(), from + settings.batchSize());
            List<PromptAnswer> batch = new ArrayList<>();
            for (int i = from; i < to; i++) {
                batch.add(new PromptAnswer(items.get(i).prompt(), answers.get(i).text(), items.get(i).meta()));
            }
            List<Reward> scored = model.score(batch);
            for (int i = from; i < to; i++) {
                double s = scored.get(i - from).score();
                if (!Double.isFinite(s)) {
                    throw new StageFailure("stage " + stage + ": the " + what + " model scored the answer to prompt "
                            + items.get(i).id() + " (" + items.get(i).where() + ") " + s);
                }
                out[i] = s;
            }
        }
        return out;
    }
}
