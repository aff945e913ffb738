package org.rlhf4j.host.run;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;

/**
 * The console appender of logback.xml: writes each log line to standard error through {@link TerminalLine}, so on
 * a terminal it lands above the live progress line instead of being overwritten by it.
 */
public final class ConsoleLog extends UnsynchronizedAppenderBase<ILoggingEvent> {

    private Encoder<ILoggingEvent> encoder;

    public void setEncoder(Encoder<ILoggingEvent> encoder) {
        this.encoder = encoder;
    }

    @Override
    public void start() {
        if (encoder == null) {
            addError("no encoder for appender " + name);
            return;
        }
        super.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        TerminalLine.get().log(encoder.encode(event));
    }
}
