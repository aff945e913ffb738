package org.rlhf4j.host.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChartAxesTest {

    @Test
    void ticksAreRoundValuesCoveringTheRange() {
        assertEquals(List.of(0.0, 0.2, 0.4, 0.6, 0.8, 1.0), rounded(ChartAxes.ticks(0, 1)));
        assertEquals(List.of(3.0, 3.5, 4.0, 4.5, 5.0, 5.5), rounded(ChartAxes.ticks(3.27, 5.04)));
        assertEquals(List.of(-6.0, -4.0, -2.0, 0.0, 2.0), rounded(ChartAxes.ticks(-5.5, 1.2)), "zero is 0, not -0 or 1e-17");
        assertEquals(List.of(0.0, 500.0, 1000.0, 1500.0), rounded(ChartAxes.ticks(1, 1500)));
        assertEquals(List.of(4.4, 4.6, 4.8, 5.0, 5.2, 5.4, 5.6), rounded(ChartAxes.ticks(5, 5)), "a flat series is widened");
    }

    @Test
    void everyRangeGetsThreeToEightEvenlySpacedNiceTicks() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int i = 0; i < 2000; i++) {
            double a = (rng.nextDouble() - 0.5) * Math.pow(10, rng.nextInt(-4, 7));
            double b = a + rng.nextDouble() * Math.pow(10, rng.nextInt(-4, 7));
            List<Double> t = ChartAxes.ticks(a, b);
            assertTrue(t.size() >= 3 && t.size() <= 8, a + ".." + b + ": " + t);
            assertTrue(t.get(0) <= a && t.get(t.size() - 1) >= b, a + ".." + b + " not covered by " + t);
            double step = t.get(1) - t.get(0);
            double mantissa = step / Math.pow(10, Math.floor(Math.log10(step)));
            assertTrue(List.of(1L, 2L, 5L, 10L).contains(Math.round(mantissa)) && Math.abs(mantissa - Math.round(mantissa)) < 1e-3, // the subtraction of two large ticks loses digits
                    "step " + step + " is not 1, 2 or 5 times a power of ten");
        }
    }

    @Test
    void theSvgHasAGridLineAndALabelAtEveryTick() {
        String svg = SvgChart.render("t", "step", "kl", List.of(new SvgChart.Series("kl", "#c52",
                List.of(new double[] {1, 0.1}, new double[] {30, 0.9}), true)));
        int ticks = ChartAxes.ticks(1, 30).size() + ChartAxes.ticks(0.1, 0.9).size();
        assertEquals(ticks, svg.split("stroke=\"#e4e4e4\"", -1).length - 1, svg);
        for (String label : List.of(">0.2<", ">0.4<", ">0.8<", ">10<", ">20<", ">30<")) {
            assertTrue(svg.contains(label), "tick label " + label + " in " + svg);
        }
    }

    @Test
    void barsDrawOneBarPerEntryWithItsValue() {
        String svg = SvgChart.bars("Languages kept", "records", Map.of("en", 385, "zh", 375));
        assertEquals(2, svg.split("fill=\"#4a7\"", -1).length - 1);
        assertTrue(svg.contains(">385<") && svg.contains(">375<") && svg.contains(">en<"), svg);
        assertTrue(svg.contains(">400<"), "the value axis reaches the next round tick");
    }

    private static List<Double> rounded(List<Double> ticks) {
        return ticks.stream().map(v -> Math.round(v * 1e9) / 1e9).toList();
    }
}
