package org.rlhf4j.host.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the rlhf4j repository that tests read (the quickstart's configs and data), found from any module. */
public final class Repository {

    private Repository() {
    }

    /** The repository root: the first folder above the working directory that holds configs/quickstart.conf. */
    public static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("configs/quickstart.conf"))) {
                return p;
            }
        }
        throw new IllegalStateException("configs/quickstart.conf not found above " + Path.of("").toAbsolutePath());
    }

    /** {@code relative} under the repository root. */
    public static Path file(String relative) {
        return root().resolve(relative);
    }
}
