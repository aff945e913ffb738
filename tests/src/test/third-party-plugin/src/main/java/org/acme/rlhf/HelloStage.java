package org.acme.rlhf;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.pf4j.Extension;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.RunContext;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.stage.Stage;
import org.rlhf4j.api.stage.StageContext;

/** Writes acme/hello.txt: the configured message, recipient and the run's seed. */
@Extension
@ExtensionName("acme.hello")
public final class HelloStage implements Stage {

    private final String message;
    private final String recipient;
    private final RunContext run;

    @Inject
    public HelloStage(@Settings Config settings, RunContext run) {
        this.message = settings.getString("message");
        this.recipient = settings.getString("recipient");
        this.run = run;
    }

    @Override
    public void run(StageContext context) throws Exception {
        Path out = context.staging().resolve("acme/hello.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, message + ", " + recipient + " (seed " + run.seed() + ")\n");
        run.metrics().log(context.stage(), 1, java.util.Map.of("greeted", 1));
    }
}
