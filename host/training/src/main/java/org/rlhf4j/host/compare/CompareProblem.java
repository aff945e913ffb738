package org.rlhf4j.host.compare;

import com.typesafe.config.ConfigException;

/** A comparison that cannot run as configured (variants that differ in a shared stage, a bad variant list ...). */
public final class CompareProblem extends ConfigException {

    public CompareProblem(String message) {
        super(message);
    }
}
