package org.rlhf4j.host.run;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import org.rlhf4j.host.config.Secrets;

/**
 * Logback converters that pass every log message and stack trace through {@link Secrets#scrub}: logback.xml uses
 * them for {@code %msg} and {@code %ex}, so a secret of the run's config (or a URL password in an error) never
 * reaches the console or run.log.
 */
public final class ScrubbedLog {

    private ScrubbedLog() {
    }

    /** {@code %msg}, scrubbed. */
    public static final class Message extends MessageConverter {
        @Override
        public String convert(ILoggingEvent event) {
            return Secrets.scrub(super.convert(event));
        }
    }

    /** {@code %ex}, scrubbed. */
    public static final class Throwable extends ThrowableProxyConverter {
        @Override
        protected String throwableProxyToString(IThrowableProxy tp) {
            return Secrets.scrub(super.throwableProxyToString(tp));
        }
    }
}
