package org.rlhf4j.host.run;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The one live line at the bottom of a terminal (a stage's progress), shared with the log: a log line first clears
 * the live line, is written whole (the terminal wraps it), and the live line is drawn again below it. So log lines
 * are never overwritten and exactly one progress line stays at the bottom. The live line is cut to the terminal's
 * width, so redrawing it with a carriage return never leaves a wrapped remnant behind.
 *
 * <p>Only used when standard error is a terminal ({@link #interactive()}); otherwise progress is logged as lines.
 */
public final class TerminalLine {

    private static final String CLEAR = "\r\033[K";
    private static final TerminalLine INSTANCE = new TerminalLine(() -> System.err, columns());

    /** Standard error as it is now (a test harness may have replaced it), or a fixed stream. */
    private final java.util.function.Supplier<PrintStream> err;
    private final int width;
    private String live;

    TerminalLine(PrintStream out, int width) {
        this(() -> out, width);
    }

    private TerminalLine(java.util.function.Supplier<PrintStream> err, int width) {
        this.err = err;
        this.width = width;
    }

    public static TerminalLine get() {
        return INSTANCE;
    }

    /** Whether a live line can be drawn: the JVM has a console and TERM is not "dumb". */
    public static boolean interactive() {
        return System.console() != null && !"dumb".equals(System.getenv("TERM"));
    }

    /** Shows {@code text} as the live line (cut to the width). */
    public synchronized void show(String text) {
        PrintStream out = err.get();
        live = fit(text);
        out.print(CLEAR + live);
        out.flush();
    }

    /** Ends the live line: {@code last} stays on the screen as an ordinary line, and nothing is live. */
    public synchronized void end(String last) {
        PrintStream out = err.get();
        out.print(CLEAR + fit(last) + "\n");
        out.flush();
        live = null;
    }

    /** Writes a log line (with its newline) above the live line. */
    public synchronized void log(byte[] line) {
        PrintStream out = err.get();
        try {
            if (live != null) {
                out.print(CLEAR);
            }
            out.write(line);
            if (live != null) {
                out.print(live);
            }
            out.flush();
        } catch (IOException e) {
            // standard error is gone: nothing to tell
        }
    }

    /** {@code text} on one line: control characters shown as spaces, cut to the width with an ellipsis. */
    String fit(String text) {
        String one = Printable.oneLine(text);
        return one.length() < width ? one : one.substring(0, Math.max(0, width - 2)) + "…";
    }

    /** The terminal's width: $COLUMNS, else what {@code stty size} says of /dev/tty, else 80. */
    private static int columns() {
        try {
            String c = System.getenv("COLUMNS");
            if (c != null) {
                return Math.max(20, Integer.parseInt(c.trim()));
            }
            if (!interactive()) {
                return 80;
            }
            Process p = new ProcessBuilder("sh", "-c", "stty size < /dev/tty").redirectErrorStream(true).start();
            String size = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            String[] parts = size.split("\\s+");
            return parts.length == 2 ? Math.max(20, Integer.parseInt(parts[1])) : 80;
        } catch (IOException | NumberFormatException e) {
            return 80;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 80;
        }
    }
}
