package org.rlhf4j.host.run;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * The run's log file, {@code run.log} in its run directory: every log line of the run (the console's, without
 * the progress bar, which is not logged), appended across resumes, scrubbed of secrets like the console
 * ({@link ScrubbedLog}). Open while the run's stages are built and run; {@link #failure} adds the error the CLI
 * prints, which the console shows without logging it.
 */
public final class RunLog implements AutoCloseable {

    /** The logger of lines for the file only (additivity off: the console already printed them). */
    private static final String FILE_ONLY = "org.rlhf4j.run-log";

    private final FileAppender<ILoggingEvent> appender;
    private final Logger root;
    private final Logger fileOnly;

    private RunLog(FileAppender<ILoggingEvent> appender, Logger root, Logger fileOnly) {
        this.appender = appender;
        this.root = root;
        this.fileOnly = fileOnly;
    }

    /** Starts writing {@code runDirectory}/run.log; a no-op log when logback is not the binding. */
    public static RunLog open(Path runDirectory) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return new RunLog(null, null, null);
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{yyyy-MM-dd HH:mm:ss} %-5level %logger{0} - %msg%n%ex");
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName("run.log");
        appender.setFile(runDirectory.resolve("run.log").toString());
        appender.setAppend(true);
        appender.setEncoder(encoder);
        appender.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        Logger fileOnly = context.getLogger(FILE_ONLY);
        fileOnly.setAdditive(false);
        fileOnly.addAppender(appender);
        return new RunLog(appender, root, fileOnly);
    }

    /** Writes the run's failure, as the CLI words it, to the file only. */
    public void failure(String message) {
        if (fileOnly != null) {
            fileOnly.error(message);
        }
    }

    @Override
    public void close() {
        if (appender == null) {
            return;
        }
        root.detachAppender(appender);
        fileOnly.detachAppender(appender);
        appender.stop();
    }
}
