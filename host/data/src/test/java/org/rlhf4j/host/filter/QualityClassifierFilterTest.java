package org.rlhf4j.host.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.api.data.FilterDecision.Action;
import org.rlhf4j.api.data.RecordFilter;
import org.rlhf4j.host.testkit.DataTestKit;

class QualityClassifierFilterTest {

    @TempDir
    static Path dir;

    static final String[] GOOD = {"The library offers free classes to people of all ages.", "城市公园在周末吸引了很多家庭。",
        "Researchers published a short report about the river.", "这座博物馆介绍了当地的历史和文化。",
        "The council discussed the new railway line with residents.", "学校的老师们组织了一次科学展览。"};
    static final String[] SPAM = {"buy cheap best deal free click now casino bonus win", "免费 点击 最低价 优惠 赢取 大奖 立即 购买",
        "cheap cheap hotel deal now free free bonus", "加微信 秒杀 代理 推广 免费 领取"};

    static Config config(String mode) throws IOException {
        List<String> high = new ArrayList<>();
        List<String> low = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            high.add("{\"id\":\"h" + i + "\",\"text\":\"" + GOOD[i % GOOD.length] + " " + GOOD[(i * 7 + 3) % GOOD.length] + "\"}");
            low.add("{\"id\":\"l" + i + "\",\"text\":\"" + SPAM[i % SPAM.length] + " " + SPAM[(i * 5 + 1) % SPAM.length] + "\"}");
        }
        Files.write(dir.resolve("high.jsonl"), high);
        Files.write(dir.resolve("low.jsonl"), low);
        return DataTestKit.config("quality-classifier { mode = " + mode + ", high = [{type = jsonl, path = \"" + dir.resolve("high.jsonl")
                + "\"}], low = [{type = jsonl, path = \"" + dir.resolve("low.jsonl") + "\"}] }");
    }

    @Test
    void trainsFromExamplesReportsHeldOutPrecisionAndRecallAndThresholds() throws IOException {
        Config c = config("threshold");
        RecordFilter f = DataTestKit.extensions(c).create(RecordFilter.class, "quality-classifier");
        assertEquals(Action.KEEP, f.apply(DataTestKit.doc("a", "The museum opened a new room about the history of the harbour.")).action());
        assertEquals(Action.KEEP, f.apply(DataTestKit.doc("b", "社区花园的志愿者们每周都来帮忙。")).action());
        assertEquals(Action.DROP, f.apply(DataTestKit.doc("c", "free casino bonus click now win cheap deal")).action());
        assertEquals(Action.DROP, f.apply(DataTestKit.doc("d", "立即购买 免费领取 大奖 秒杀")).action());
        Map<String, Object> report = ((QualityClassifierFilter) f).report();
        assertTrue((Integer) report.get("held-out") > 10, report.toString());
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> per = (Map<String, Map<String, Object>>) report.get("per-class");
        assertTrue((Double) per.get("high").get("precision") > 0.9 && (Double) per.get("high").get("recall") > 0.9, report.toString());
    }

    @Test
    void paretoSamplingKeepsSomeLowScoredTextAndIsTheSameOnEveryRun() throws IOException {
        Config c = config("pareto");
        RecordFilter a = DataTestKit.extensions(c).create(RecordFilter.class, "quality-classifier");
        RecordFilter b = DataTestKit.extensions(c).create(RecordFilter.class, "quality-classifier");
        int keptLow = 0;
        int keptGood = 0;
        for (int i = 0; i < 200; i++) {
            var spam = DataTestKit.doc("s" + i, SPAM[i % SPAM.length]);
            var good = DataTestKit.doc("g" + i, GOOD[i % GOOD.length]);
            Action x = a.apply(spam).action();
            assertEquals(x, b.apply(spam).action());
            keptLow += x == Action.KEEP ? 1 : 0;
            keptGood += a.apply(good).action() == Action.KEEP ? 1 : 0;
        }
        // GPT-3: keep when pareto(9) > 1 - score; low scores are kept rarely, never not at all.
        assertTrue(keptLow > 0 && keptLow < 40, "pareto kept " + keptLow + " of 200 spam texts");
        assertTrue(keptGood > 2 * keptLow, "pareto kept " + keptGood + " good and " + keptLow + " spam texts of 200");
    }
}
