package org.rlhf4j.host.run;

import java.util.ArrayList;
import java.util.List;

/**
 * Closing what a stage created. A stage selects its extensions when it is built and closes those that hold
 * something (reward models, annotators) when its run ends, in a try-with-resources over {@link #all}.
 */
public final class Closeables {

    private Closeables() {
    }

    /**
     * One resource that closes each of {@code resources} (nulls skipped) in reverse order, every one even when
     * some fail: the first failure is thrown, the later ones suppressed in it.
     */
    public static AutoCloseable all(List<? extends AutoCloseable> resources) {
        List<AutoCloseable> owned = new ArrayList<>(resources);
        return () -> {
            Exception first = null;
            for (int i = owned.size() - 1; i >= 0; i--) {
                try {
                    if (owned.get(i) != null) {
                        owned.get(i).close();
                    }
                } catch (Exception e) {
                    if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        };
    }
}
