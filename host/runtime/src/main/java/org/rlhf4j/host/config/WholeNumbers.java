package org.rlhf4j.host.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.Map;
import org.rlhf4j.api.ConfigProblem;

/**
 * Settings whose default is a whole number take whole numbers only. Typesafe Config's type check counts every
 * number as a NUMBER, and {@code getInt} then truncates: {@code --set pretrain.steps=2.5} would train 2 steps.
 * An integer default's value must also fit in an int ({@code getInt} would fail later, far from the cause).
 */
public final class WholeNumbers {

    private WholeNumbers() {
    }

    /** Fails naming the first setting of {@code config} whose reference default is whole but whose value is not. */
    public static void check(Config config, Config reference) {
        for (Map.Entry<String, ConfigValue> e : reference.entrySet()) {
            Object def = e.getValue().unwrapped();
            if (!(def instanceof Integer || def instanceof Long) || !config.hasPath(e.getKey())) {
                continue;
            }
            ConfigValue v = config.getValue(e.getKey());
            if (v.valueType() != ConfigValueType.NUMBER) {
                continue; // a wrong type: checkValid names it
            }
            Number n = (Number) v.unwrapped();
            double d = n.doubleValue();
            if ((n instanceof Double || n instanceof Float) && d != Math.rint(d)) {
                throw new ConfigProblem(config, e.getKey(), "must be a whole number, got " + n);
            }
            if (def instanceof Integer && (d > Integer.MAX_VALUE || d < Integer.MIN_VALUE)) {
                throw new ConfigProblem(config, e.getKey(), "is out of range: " + n + " (at most " + Integer.MAX_VALUE + ")");
            }
        }
    }
}
