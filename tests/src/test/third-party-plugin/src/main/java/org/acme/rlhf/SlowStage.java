package org.acme.rlhf;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.pf4j.Extension;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.stage.Stage;
import org.rlhf4j.api.stage.StageContext;

/**
 * Counts its attempts in its resume directory, sleeps, then writes acme/slow.txt with the attempt
 * count and whether it was resuming: the kill -9 test's stage.
 */
@Extension
@ExtensionName("acme.slow")
public final class SlowStage implements Stage {

    private final long sleepMs;

    @Inject
    public SlowStage(@Settings Config settings) {
        this.sleepMs = settings.getLong("sleep-ms");
    }

    @Override
    public void run(StageContext context) throws Exception {
        Path attempts = context.resumeDirectory().resolve("attempts.txt");
        Files.writeString(attempts, "attempt\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Thread.sleep(sleepMs);
        List<String> lines = Files.readAllLines(attempts);
        Path out = context.staging().resolve("acme/slow.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, "attempts=" + lines.size() + " resuming=" + context.resuming() + "\n");
    }
}
