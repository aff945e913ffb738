package org.rlhf4j.host.run;

import java.util.Locale;
import org.rlhf4j.api.stage.Progress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stage's progress: on a terminal one live line at the bottom ({@link TerminalLine}), redrawn at most ten times
 * a second; otherwise a log line every ten seconds. Either way a last line when it closes. A line reads
 * {@code ppo: train  40% [========            ] 12/30 0:41 ETA 1:02 0.3/s  reward 1.23 kl 0.01}; with no known
 * total, the count, time and rate only.
 */
final class ConsoleProgress implements Progress {

    private static final Logger log = LoggerFactory.getLogger("progress");
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final long LOG_NANOS = 10_000_000_000L;
    private static final int BAR = 20;

    private final String task;
    private final long total;
    private final boolean live;
    private final long start = System.nanoTime();
    private long done;
    private long offset = -1;
    private String status = "";
    private long lastShown;

    ConsoleProgress(String task, long total) {
        this(task, total, TerminalLine.interactive());
    }

    ConsoleProgress(String task, long total, boolean live) {
        this.task = task;
        this.total = total;
        this.live = live;
        this.lastShown = start;
    }

    @Override
    public synchronized void step(long n) {
        long now = System.nanoTime();
        if (offset < 0 && now - start < 50_000_000L) {
            offset = done + n; // the steps a resumed stage skips: not part of the rate
        } else if (offset < 0) {
            offset = done;
        }
        done += n;
        maybeShow(now);
    }

    @Override
    public synchronized void status(String text) {
        status = text == null ? "" : text;
        maybeShow(System.nanoTime());
    }

    private void maybeShow(long now) {
        if (live && now - lastShown >= REDRAW_NANOS) {
            TerminalLine.get().show(line(now));
            lastShown = now;
        } else if (!live && now - lastShown >= LOG_NANOS) {
            log.info(line(now));
            lastShown = now;
        }
    }

    @Override
    public synchronized void close() {
        String last = line(System.nanoTime());
        if (live) {
            TerminalLine.get().end(last);
        } else {
            log.info(last);
        }
    }

    /** The progress line at time {@code now}. */
    String line(long now) {
        double seconds = (now - start) / 1e9;
        long counted = done - Math.max(0, offset);
        double rate = seconds > 0 ? counted / seconds : 0;
        StringBuilder b = new StringBuilder(task).append(' ');
        if (total > 0) {
            double frac = Math.min(1.0, (double) done / total);
            int filled = (int) Math.round(frac * BAR);
            b.append(String.format(Locale.ROOT, "%3d%% [", Math.round(frac * 100)))
                    .append("=".repeat(filled)).append(" ".repeat(BAR - filled)).append("] ")
                    .append(done).append('/').append(total).append(' ').append(clock(seconds));
            if (done < total && rate > 0) {
                b.append(" ETA ").append(clock((total - done) / rate));
            }
        } else {
            b.append(done).append(' ').append(clock(seconds));
        }
        if (counted > 0) {
            b.append(' ').append(rate >= 10 ? String.format(Locale.ROOT, "%.0f/s", rate) : String.format(Locale.ROOT, "%.2f/s", rate));
        }
        if (!status.isEmpty()) {
            b.append("  ").append(status);
        }
        return b.toString();
    }

    /** h:mm:ss or m:ss. */
    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
