package org.rlhf4j.host.run;

import java.time.Duration;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.rlhf4j.api.stage.Progress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A progress bar on a terminal; when output is not a terminal, a log line every few seconds instead. */
final class ConsoleProgress implements Progress {

    private static final Logger log = LoggerFactory.getLogger("progress");

    private final ProgressBar bar;

    ConsoleProgress(String task, long total) {
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).showSpeed();
        if (System.console() == null) {
            b.setConsumer(new DelegatingProgressBarConsumer(log::info)).setUpdateIntervalMillis(
                    (int) Duration.ofSeconds(10).toMillis());
        }
        bar = b.build();
    }

    @Override
    public void step(long n) {
        bar.stepBy(n);
    }

    @Override
    public void status(String text) {
        bar.setExtraMessage(text);
    }

    @Override
    public void close() {
        bar.close();
    }
}
