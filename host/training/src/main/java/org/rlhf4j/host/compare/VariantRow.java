package org.rlhf4j.host.compare;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleFunction;

/**
 * One row of the comparison's table ({@code compare.csv} and the page's figures): a variant's policy stage,
 * its kind ({@code ppo} or {@code preference}), the last step it logged, and its figures, each under its
 * {@link Figure}; a figure that was not measured is absent (an empty cell).
 */
record VariantRow(String variant, String stage, String kind, long steps, Map<Figure, Double> figures) {

    /** The figure columns in table order; a column's name is the constant's in lower case. */
    enum Figure {
        REWARD_HELDOUT_SFT, REWARD_HELDOUT, REWARD_HELPFUL_HELDOUT_SFT, REWARD_HELPFUL_HELDOUT, REWARD_DIALOGUE_HELDOUT_SFT,
        REWARD_DIALOGUE_HELDOUT, REWARD_LAST_STEP, KL, KL_COEF, COST_HELDOUT, COST_LAST_STEP, UNSAFE_SHARE_HELDOUT,
        UNSAFE_SHARE_COST_MODEL, LAMBDA, WIN_RATE_VS_SFT_REWARD_MODEL, WIN_RATE_VS_SFT_API_JUDGE, PREFERENCE_MARGIN,
        PREFERENCE_ACCURACY, STAGE_SECONDS, VARIANT_SECONDS, PEAK_MEMORY_MB;

        /** The column's name in the CSV header and the page. */
        String column() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The table's columns, in order (also the CSV header): the row's texts and steps, then every figure. */
    static final List<String> COLUMNS = columns();

    VariantRow {
        EnumMap<Figure, Double> measured = new EnumMap<>(Figure.class);
        figures.forEach((f, v) -> {
            if (v != null) {
                measured.put(f, v);
            }
        });
        figures = Collections.unmodifiableMap(measured);
    }

    /** The figure in column {@code f}; null when not measured. */
    Double figure(Figure f) {
        return figures.get(f);
    }

    /** The cells in {@link #COLUMNS} order: the texts, the steps, each figure written by {@code number} (absent: empty). */
    List<String> cells(DoubleFunction<String> number) {
        List<String> out = new ArrayList<>(List.of(variant, stage, kind, Long.toString(steps)));
        for (Figure f : Figure.values()) {
            Double v = figures.get(f);
            out.add(v == null ? "" : number.apply(v));
        }
        return out;
    }

    private static List<String> columns() {
        List<String> out = new ArrayList<>(List.of("variant", "stage", "kind", "steps"));
        for (Figure f : Figure.values()) {
            out.add(f.column());
        }
        return List.copyOf(out);
    }
}
