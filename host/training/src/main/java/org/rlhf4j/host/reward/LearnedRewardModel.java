package org.rlhf4j.host.reward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pf4j.Extension;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.RunContext;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.data.Message;
import org.rlhf4j.api.reward.PromptAnswer;
import org.rlhf4j.api.reward.Reward;
import org.rlhf4j.api.reward.RewardMath;
import org.rlhf4j.api.reward.RewardModel;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.model.Gpt;
import org.rlhf4j.host.model.HfCheckpoint;
import org.rlhf4j.host.model.tokenizer.ChatTemplate;

/**
 * A trained reward (or cost) model behind the text-level {@link RewardModel} api: renders (prompt, answer)
 * with the chat template, runs the checkpoint in inference mode and returns the value at the last token.
 * The checkpoint loads lazily, on the first batch, and stays loaded; {@link #close()} frees it.
 */
@Extension
@ExtensionName("learned-reward")
public final class LearnedRewardModel implements RewardModel {

    private final String checkpoint;
    private final int batchSize;
    private final ChatTemplate template;
    private final RunContext run;
    private HfCheckpoint.Loaded loaded;

    @Inject
    public LearnedRewardModel(@Settings Config settings, Config config, RunContext run) {
        this(settings.getString("checkpoint"), settings.getInt("batch-size"), ChatTemplate.from(config.getConfig("tokenizer")), run);
    }

    /** A scorer for one checkpoint (the cost model uses this with its own folder). */
    public LearnedRewardModel(String checkpoint, int batchSize, ChatTemplate template, RunContext run) {
        this.checkpoint = checkpoint;
        this.batchSize = batchSize;
        this.template = template;
        this.run = run;
    }

    @Override
    public List<Reward> score(List<PromptAnswer> batch) {
        HfCheckpoint.Loaded m = model();
        List<Reward> out = new ArrayList<>();
        for (int i = 0; i < batch.size(); i += batchSize) {
            List<int[]> seqs = new ArrayList<>();
            for (PromptAnswer pa : batch.subList(i, Math.min(batch.size(), i + batchSize))) {
                int[] ids = PreferenceData.encode(m.tokenizer(), template, List.of(Message.user(pa.prompt())), pa.answer());
                int context = m.model().config().context();
                // keep the answer's end (where the score is read) when a sequence is too long
                seqs.add(ids.length <= context ? ids : java.util.Arrays.copyOfRange(ids, ids.length - context, ids.length));
            }
            for (float s : scores(m.model(), seqs, m.tokenizer().eosId())) {
                out.add(Reward.of(s));
            }
        }
        return out;
    }

    /** The last-token scores of right-padded sequences. */
    public static float[] scores(Gpt model, List<int[]> seqs, int pad) {
        int len = seqs.stream().mapToInt(s -> s.length).max().orElse(1);
        long[] ids = new long[seqs.size() * len];
        float[] mask = new float[seqs.size() * len];
        java.util.Arrays.fill(ids, pad);
        for (int b = 0; b < seqs.size(); b++) {
            for (int t = 0; t < seqs.get(b).length; t++) {
                ids[b * len + t] = seqs.get(b)[t];
                mask[b * len + t] = 1;
            }
        }
        try (NDManager m = model.manager().newSubManager()) {
            NDArray tokens = m.create(ids, new Shape(seqs.size(), len));
            NDArray values = model.values(model.hidden(tokens, null, null, false));       // (B, T)
            return RewardMath.lastValue(values, m.create(mask, new Shape(seqs.size(), len))).toFloatArray();
        }
    }

    private synchronized HfCheckpoint.Loaded model() {
        if (loaded == null) {
            Path dir = run.resolve(checkpoint);
            if (!Files.isDirectory(dir)) {
                throw new StageFailure("the reward model checkpoint " + dir + " does not exist: run the reward stage first,"
                        + " or point learned-reward.checkpoint at one");
            }
            try {
                loaded = HfCheckpoint.load(dir, run.device());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load the reward model " + dir, e);
            }
            if (!loaded.model().config().scoreHead()) {
                throw new StageFailure("checkpoint " + dir + " has no score head: it is a language model, not a reward model");
            }
        }
        return loaded;
    }

    @Override
    public synchronized void close() {
        if (loaded != null) {
            loaded.close();
            loaded = null;
        }
    }
}
