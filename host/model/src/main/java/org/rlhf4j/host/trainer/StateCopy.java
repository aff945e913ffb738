package org.rlhf4j.host.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * Writes saved values into a live tensor (a weight, an optimizer moment, an EMA copy) when a checkpoint is restored
 * or an averaged model is built. Not through {@code NDArray.set(float[])}: DJL's native side of that call enters
 * libtorch's deprecated AutoNonVariableTypeMode, and libtorch prints its deprecation warning straight to the
 * terminal, over the progress line. An indexed assignment over the whole tensor writes the same values (NaN and
 * infinities included) without it.
 */
public final class StateCopy {

    private static final NDIndex ALL = new NDIndex("...");

    private StateCopy() {
    }

    /** Overwrites every element of {@code target} with {@code values} (row-major, {@code target}'s size). */
    public static void overwrite(NDArray target, float[] values) {
        if (values.length != target.size()) {
            throw new IllegalArgumentException(values.length + " values for a tensor of " + target.size() + " elements");
        }
        try (NDArray source = target.getManager().create(values, target.getShape()).toType(target.getDataType(), false)) {
            target.set(ALL, source);
        }
    }
}
