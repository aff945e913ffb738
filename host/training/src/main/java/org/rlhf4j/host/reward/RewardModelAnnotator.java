package org.rlhf4j.host.reward;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.pf4j.Extension;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.RunContext;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.annotate.AnnotationTask;
import org.rlhf4j.api.annotate.Annotator;
import org.rlhf4j.api.annotate.Label;
import org.rlhf4j.api.annotate.PreRanker;
import org.rlhf4j.api.reward.PromptAnswer;
import org.rlhf4j.api.reward.Reward;
import org.rlhf4j.host.model.tokenizer.ChatTemplate;
import org.rlhf4j.host.reward.LearnedRewardModel;

/**
 * A trained reward model as an annotator ({@code reward-model}): scores every answer of a task with the
 * checkpoint's text-level scorer ({@link LearnedRewardModel}). As a {@link PreRanker}, named in
 * {@code annotate.pre-ranker}, it lets the human queue serve the tasks it is least sure about first (the
 * smallest gap between its two best answers); as an annotator it ranks the answers of ranking and A/B tasks
 * by score (scores within {@code tie-margin} share a rank) and says nothing about other kinds, which it cannot
 * judge. The checkpoint loads on the first task and stays loaded until {@link #close()}.
 */
@Extension
@ExtensionName("reward-model")
public final class RewardModelAnnotator implements Annotator, PreRanker {

    private final LearnedRewardModel scorer;
    private final double tieMargin;
    private final String name;

    @Inject
    public RewardModelAnnotator(@Settings Config settings, Config config, RunContext run) {
        String checkpoint = settings.getString("checkpoint");
        if (checkpoint.isBlank()) {
            throw new ConfigProblem(settings, "checkpoint", "the reward model's checkpoint folder is required");
        }
        int batch = settings.getInt("batch-size");
        if (batch < 1) {
            throw new ConfigProblem(settings, "batch-size", "must be at least 1, got " + batch);
        }
        this.tieMargin = settings.getDouble("tie-margin");
        if (tieMargin < 0) {
            throw new ConfigProblem(settings, "tie-margin", "must be 0 or more, got " + tieMargin);
        }
        this.scorer = new LearnedRewardModel(checkpoint, batch, ChatTemplate.from(config.getConfig("tokenizer")), run);
        this.name = "reward-model:" + checkpoint;
    }

    @Override
    public List<Double> scores(AnnotationTask task) throws Exception {
        List<PromptAnswer> batch = new ArrayList<>();
        for (String a : task.answers()) {
            batch.add(new PromptAnswer(task.prompt(), a, task.meta()));
        }
        List<Double> out = new ArrayList<>();
        for (Reward r : scorer.score(batch)) {
            if (!Double.isFinite(r.score())) {
                throw new IllegalStateException("the reward model scored an answer of task " + task.id() + " " + r.score());
            }
            out.add(r.score());
        }
        return out;
    }

    @Override
    public List<Label> annotate(List<AnnotationTask> tasks) throws Exception {
        List<Label> out = new ArrayList<>();
        for (AnnotationTask t : tasks) {
            if ((t.kind() != AnnotationTask.Kind.RANK && t.kind() != AnnotationTask.Kind.COMPARE) || t.answers().size() < 2) {
                continue;
            }
            List<Double> scores = scores(t);
            String text = scores.stream().map(s -> String.format(Locale.ROOT, "%.3f", s)).collect(Collectors.joining(", "));
            out.add(new Label(t.id(), name, ranks(scores, tieMargin), List.of(), List.of(), List.of(), null,
                    "reward-model scores " + text, Map.of("scores", text)));
        }
        return out;
    }

    @Override
    public void close() {
        scorer.close();
    }

    /** Rank 1 for the highest score; scores within {@code tieMargin} of each other share a rank (1, 1, 3). */
    static List<Integer> ranks(List<Double> scores, double tieMargin) {
        List<Integer> out = new ArrayList<>();
        for (double s : scores) {
            int higher = 0;
            for (double o : scores) {
                higher += o > s + tieMargin ? 1 : 0;
            }
            out.add(higher + 1);
        }
        return out;
    }
}
