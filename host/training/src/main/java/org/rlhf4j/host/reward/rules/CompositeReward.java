package org.rlhf4j.host.reward.rules;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.pf4j.Extension;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Extensions;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.reward.PromptAnswer;
import org.rlhf4j.api.reward.Reward;
import org.rlhf4j.api.reward.RewardModel;
import org.rlhf4j.host.reward.AnswerFailure;

/**
 * A weighted sum of named rewards, any RewardModel extension ({@code learned-reward} included): score = sum of
 * weight_i * score_i; per-token rewards are summed the same way (a part without them adds 0 per token). It creates
 * its parts by name through the host and closes every one it created.
 */
@Extension
@ExtensionName("composite-reward")
public final class CompositeReward implements RewardModel {

    private record Part(String name, double weight, RewardModel model) {
    }

    private final List<Part> parts = new ArrayList<>();

    @Inject
    public CompositeReward(@Settings Config settings, Extensions extensions) {
        List<? extends Config> entries = settings.getConfigList("parts");
        if (entries.isEmpty()) {
            throw new ConfigProblem(settings, "parts", "give at least one part: [{ reward = rule-correctness, weight = 1.0 }]");
        }
        try {
            for (int i = 0; i < entries.size(); i++) {
                Config e = entries.get(i);
                String where = "entry " + (i + 1) + " (" + e.origin().description() + ")";
                for (String key : e.root().keySet()) {
                    if (!Set.of("reward", "weight").contains(key)) {
                        throw new ConfigProblem(settings, "parts", where + ": no such key '" + key + "' (reward, weight)");
                    }
                }
                if (!e.hasPath("reward") || !e.hasPath("weight")) {
                    throw new ConfigProblem(settings, "parts", where + ": needs reward and weight");
                }
                double w = e.getDouble("weight");
                if (!Double.isFinite(w)) {
                    throw new ConfigProblem(settings, "parts", where + ": weight " + w + " is not a finite number");
                }
                if (e.getString("reward").equals("composite-reward")) {
                    throw new ConfigProblem(settings, "parts", where + ": a composite-reward cannot be a part of itself");
                }
                parts.add(new Part(e.getString("reward"), w, extensions.select(RewardModel.class, e, "reward")));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public List<Reward> score(List<PromptAnswer> batch) throws Exception {
        double[] sums = new double[batch.size()];
        float[][] perToken = new float[batch.size()][];
        for (Part p : parts) {
            List<Reward> r;
            try {
                r = p.model().score(batch);
            } catch (AnswerFailure f) {
                throw new AnswerFailure(f.index(), "composite-reward part '" + p.name() + "': " + f.getMessage());
            }
            if (r == null || r.size() != batch.size()) {
                throw new IllegalStateException("composite-reward part '" + p.name() + "' returned "
                        + (r == null ? "nothing" : r.size() + " scores") + " for " + batch.size() + " answers");
            }
            for (int i = 0; i < batch.size(); i++) {
                sums[i] += p.weight() * r.get(i).score();
                float[] t = r.get(i).perToken();
                if (t != null) {
                    if (perToken[i] != null && perToken[i].length != t.length) {
                        throw new AnswerFailure(i, "composite-reward part '" + p.name() + "' gave " + t.length
                                + " per-token rewards where another part gave " + perToken[i].length);
                    }
                    perToken[i] = perToken[i] == null ? new float[t.length] : perToken[i];
                    for (int k = 0; k < t.length; k++) {
                        perToken[i][k] += (float) (p.weight() * t[k]);
                    }
                }
            }
        }
        List<Reward> out = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            out.add(new Reward(sums[i], perToken[i]));
        }
        return out;
    }

    /** Closes every part, each even when another's close throws; the first failure is rethrown. */
    @Override
    public void close() {
        RuntimeException first = null;
        for (Part p : parts) {
            try {
                p.model().close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        parts.clear();
        if (first != null) {
            throw first;
        }
    }
}
