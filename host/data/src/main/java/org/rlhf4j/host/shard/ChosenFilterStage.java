package org.rlhf4j.host.shard;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import org.pf4j.Extension;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Extensions;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.stage.Stage;
import org.rlhf4j.api.stage.StageContext;
import org.rlhf4j.host.filter.FilterStage;

/**
 * The {@code filter} stage, wherever its chain runs: {@code filter.engine = local} runs the whole chain in this JVM
 * ({@link FilterStage}); {@code filter.merge-shards = N} joins the N shards {@code rlhf data --shard i/N} wrote and
 * runs the rest of the chain over them ({@link ShardMergeStage}); any other engine is a {@link FilterEngine} on the
 * class path (the Spark runner). Every variant writes the same outputs and report section. The choice is made when
 * the stage is created, so an unknown engine fails before any stage runs.
 */
@Extension
@ExtensionName("filter")
public final class ChosenFilterStage implements Stage {

    private final Stage chosen;

    @Inject
    public ChosenFilterStage(@Settings Config settings, Config config, Extensions extensions) {
        String engine = settings.getString("engine");
        int shards = settings.getInt("merge-shards");
        if (shards < 0) {
            throw new ConfigProblem(settings, "merge-shards", "must be 0 (no shards) or more, got " + shards);
        }
        if (shards > 0 && !engine.equals("local")) {
            throw new ConfigProblem(settings, "merge-shards", "shards are joined in this JVM: engine must be local, got " + engine);
        }
        if (shards > 0) {
            this.chosen = new ShardMergeStage(config, extensions, shards);
        } else if (engine.equals("local")) {
            this.chosen = new FilterStage(settings, config, extensions);
        } else {
            FilterEngine found;
            try {
                found = FilterEngine.find(engine);
            } catch (IllegalArgumentException e) {
                throw new ConfigProblem(settings, "engine", e.getMessage());
            }
            this.chosen = found.filterStage(settings.getString("master"), config, extensions);
        }
    }

    @Override
    public void run(StageContext ctx) throws Exception {
        chosen.run(ctx);
    }
}
