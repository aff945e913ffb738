package org.acme.rlhf;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import org.pf4j.Extension;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.stage.Stage;
import org.rlhf4j.api.stage.StageContext;
import org.rlhf4j.api.stage.StageFailure;

/** Fails with a StageFailure naming the configured record: the stage-failure test's stage. */
@Extension
@ExtensionName("acme.fail")
public final class FailStage implements Stage {

    private final String record;

    @Inject
    public FailStage(@Settings Config settings) {
        this.record = settings.getString("record");
    }

    @Override
    public void run(StageContext context) {
        throw new StageFailure("malformed record at " + record);
    }
}
