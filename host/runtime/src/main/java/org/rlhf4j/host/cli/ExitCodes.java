package org.rlhf4j.host.cli;

/** The exit codes of {@code rlhf}, for scripts. Listed in {@code rlhf --help}. */
public final class ExitCodes {

    /** Everything asked was done. */
    public static final int OK = 0;
    /** A stage failed while running (bad data, NaN loss ...); finished stages are kept. */
    public static final int STAGE_FAILED = 1;
    /** Bad command line (picocli's own code for usage errors). */
    public static final int USAGE = 2;
    /** The config is wrong: a syntax error, a wrong type, a missing key, an unknown extension name. */
    public static final int CONFIG = 3;
    /** A plugin problem: the plugins folder cannot be read, or a selected extension's plugin failed to load. */
    public static final int PLUGIN = 4;
    /** Anything else: a bug or an environment problem; the log has the stack trace. */
    public static final int INTERNAL = 70;

    private ExitCodes() {
    }

    public static final String HELP = """
            Exit codes: 0 ok, 1 a stage failed, 2 bad command line, 3 config error, 4 plugin error, 70 internal error.""";
}
