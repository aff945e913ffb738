package org.rlhf4j.host.annotate;

import org.rlhf4j.host.annotate.settings.AnnotateSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.annotate.AnnotationTask;
import org.rlhf4j.api.annotate.Label;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.host.annotate.settings.AnnotateSettings.Aggregate;
import org.rlhf4j.host.annotate.export.PreferencePairs;
import org.rlhf4j.host.annotate.quality.Krippendorff;
import org.rlhf4j.host.annotate.quality.LabelQuality;

/** Agreement, gold agreement, contradictions and preference pairs, on hand-checked values. */
class AnnotateQualityTest {

    /** Krippendorff's worked example (4 coders, 12 units; "Computing Krippendorff's Alpha-Reliability", 2011). */
    private static final Integer[][] CODERS = {
        {1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null},
        {1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3},
        {null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null},
        {1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null},
    };

    private static Map<String, List<List<Integer>>> units() {
        List<List<Integer>> units = new ArrayList<>();
        for (int u = 0; u < 12; u++) {
            List<Integer> values = new ArrayList<>();
            for (Integer[] coder : CODERS) {
                if (coder[u] != null) {
                    values.add(coder[u]);
                }
            }
            units.add(values);
        }
        return Map.of("all", units);
    }

    @Test
    void alphaMatchesKrippendorffsWorkedExample() {
        assertEquals(0.743, Krippendorff.alpha(units(), Krippendorff::nominal).alpha(), 0.001);
        assertEquals(0.849, Krippendorff.alpha(units(), Krippendorff::interval).alpha(), 0.001);
    }

    @Test
    void kendallDistanceCountsDiscordantPairsAndHalfTies() {
        assertEquals(0.0, Krippendorff.kendall(List.of(1, 2, 3), List.of(1, 2, 3)));
        assertEquals(1.0, Krippendorff.kendall(List.of(1, 2, 3), List.of(3, 2, 1)));
        assertEquals(0.5 / 3, Krippendorff.kendall(List.of(1, 2, 3), List.of(1, 1, 3)), 1e-12);
        assertTrue(Double.isNaN(Krippendorff.kendall(List.of(1, 2), List.of(1, 2, 3))));
        Map<String, List<List<List<Integer>>>> agree = new LinkedHashMap<>();
        agree.put("t1", List.of(List.of(List.of(1, 2, 3), List.of(1, 2, 3))));
        agree.put("t2", List.of(List.of(List.of(3, 2, 1), List.of(3, 2, 1))));
        assertEquals(1.0, Krippendorff.alpha(agree, Krippendorff::kendall).alpha(), 1e-12);
        agree.put("t3", List.of(List.of(List.of(1, 2, 3), List.of(3, 2, 1))));
        Krippendorff.Agreement a = Krippendorff.alpha(agree, Krippendorff::kendall);
        assertTrue(a.alpha() < 1);
        assertTrue(a.perTask().get("t3") < a.perTask().get("t1"), a.perTask().toString());
    }

    @Test
    void goldAgreementAndContradictions() {
        assertEquals(1.0, LabelQuality.pairwiseAgreement(List.of(1, 2, 3), List.of(1, 2, 3)));
        assertEquals(0.0, LabelQuality.pairwiseAgreement(List.of(3, 2, 1), List.of(1, 2, 3)));
        assertEquals(0.5, LabelQuality.pairwiseAgreement(List.of(1, 1), List.of(1, 2)));
        Label saferMarkedUnsafe = new Label("t", "a", List.of(1, 2), List.of(), List.of(), List.of(false, true), null, null,
                Map.of("safer", "0"));
        Label consistent = new Label("t", "a", List.of(1, 2), List.of(), List.of(), List.of(true, false), null, null,
                Map.of("safer", "0"));
        Label betterRatedLower = new Label("t", "a", List.of(1, 2), List.of(3, 6), List.of(), List.of(), null, null, Map.of());
        Label harmfulButSafe = new Label("t", "a", List.of(1, 2), List.of(), List.of(List.of("harmful-advice"), List.of()),
                List.of(true, true), null, null, Map.of());
        assertTrue(LabelQuality.contradictory(saferMarkedUnsafe));
        assertFalse(LabelQuality.contradictory(consistent));
        assertTrue(LabelQuality.contradictory(betterRatedLower));
        assertTrue(LabelQuality.contradictory(harmfulButSafe));
    }

    @Test
    void pairsSkipTiesKeepOnePromptTogetherAndMergePeopleByMeanRank() {
        AnnotationTask task = new AnnotationTask("q1", AnnotationTask.Kind.RANK, "What is 2+2?",
                List.of("4.", "Four, happy to help!", "5.", "Four!"), Map.of("category", "math"));
        Label one = new Label("q1", "ann", List.of(2, 1, 4, 1), List.of(), List.of(), List.of(), null, null, Map.of());
        List<Record> pairs = PreferencePairs.pairs(task, List.of(one), Aggregate.MEAN_RANK);
        // 6 pairs of 4 answers, one tie (answers 1 and 3) skipped.
        assertEquals(5, pairs.size());
        assertTrue(pairs.stream().allMatch(p -> p.meta().get("group").equals("q1") && p.kind() == Record.Kind.PREFERENCE));
        assertEquals(List.of("Four, happy to help!", "4."), pairs.get(0).answers());
        assertEquals("What is 2+2?", pairs.get(0).messages().get(0).content());
        assertTrue(pairs.stream().noneMatch(p -> p.answers().containsAll(Arrays.asList("Four, happy to help!", "Four!"))));
        // A second person reverses answers 0 and 2: by mean rank they tie (3 and 3) and that pair goes.
        Label two = new Label("q1", "bob", List.of(4, 1, 2, 1), List.of(), List.of(), List.of(), null, null, Map.of());
        List<Record> merged = PreferencePairs.pairs(task, List.of(one, two), Aggregate.MEAN_RANK);
        assertEquals(4, merged.size());
        assertEquals(10, PreferencePairs.pairs(task, List.of(one, two), Aggregate.PER_LABEL).size());
    }
}
