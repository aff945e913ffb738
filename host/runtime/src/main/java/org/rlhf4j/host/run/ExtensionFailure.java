package org.rlhf4j.host.run;

import org.rlhf4j.api.stage.StageFailure;

/**
 * An extension threw while the host called it: the failure names the extension (by its config name, never its
 * class), where the host was (a record and its file and line, a stage and step), and what it threw, unwrapped
 * once ({@code IllegalStateException: no tokens}, not a chain of wrappers). The cause keeps the stack trace for
 * the log. A {@link StageFailure} the extension threw itself passes through unchanged: it already says what to do.
 */
public final class ExtensionFailure extends StageFailure {

    private ExtensionFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * {@code e} as thrown by the extension {@code role} (e.g. {@code filter}, {@code ppo.scheduler}) named
     * {@code name}, while the host was at {@code where} (e.g. {@code record d-3 (corpus.jsonl:12)}).
     */
    public static RuntimeException of(String role, String name, String where, RuntimeException e) {
        if (e instanceof StageFailure) {
            return e;
        }
        return new ExtensionFailure(where + ": " + role + " '" + name + "' failed: " + brief(e), e);
    }

    /** The exception's type and message, or its cause's when it only wraps one. */
    static String brief(Throwable e) {
        Throwable t = e;
        Throwable c = t.getCause();
        if (c != null && c != t && (t.getMessage() == null || t.getMessage().equals(c.toString()))) {
            t = c;
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
