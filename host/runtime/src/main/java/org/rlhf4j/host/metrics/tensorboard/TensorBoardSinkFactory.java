package org.rlhf4j.host.metrics.tensorboard;

import java.io.IOException;
import org.pf4j.Extension;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.MetricsSinkFactory;
import org.rlhf4j.api.RunContext;

/**
 * The sink {@code tensorboard} of {@code run.metrics.sinks}: TensorBoard event files in {@code tensorboard/} of the
 * run directory ({@link TensorBoardSink}), for {@code tensorboard --logdir runs} (one run per folder) or an import
 * such as {@code wandb sync --sync-tensorboard}.
 */
@Extension
@ExtensionName("tensorboard")
public final class TensorBoardSinkFactory implements MetricsSinkFactory {

    /** The folder of the event files in the run directory. */
    public static final String FOLDER = "tensorboard";

    @Override
    public Sink open(RunContext run) throws IOException {
        return TensorBoardSink.open(run.directory().resolve(FOLDER));
    }
}
