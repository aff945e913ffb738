package org.rlhf4j.host.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.host.testkit.DataTestKit;
import org.rlhf4j.host.data.JsonSource;

class ClassificationTest {

    static final Config SETTINGS = DataTestKit.settings("classify", "");

    @Test
    void belleCategoriesMapOntoOursThroughNfkcAndAliases() throws IOException {
        CategoryLabels labels = new CategoryLabels(SETTINGS);
        assertEquals("closed-qa", labels.map("closed\u00a0qa"));
        assertEquals("extraction", labels.map("extract"));
        assertEquals("open-qa", labels.map("Open QA"));
        assertEquals("generation", labels.map(" generation "));
        assertEquals("safety-sensitive", labels.map("safety_sensitive"));
        assertNull(labels.map("poetry"));
        Path belle = DataTestKit.sharedData("belle-eval/eval_set.json");
        List<Record> rs = DataTestKit.read(new JsonSource(), "path = \"" + belle + "\", format = prompt, fields { prompt = question, category = class }");
        Map<String, Integer> counts = new TreeMap<>();
        for (Record r : rs) {
            String c = labels.map(r.meta().get("category-label"));
            assertTrue(c != null, "unmapped BELLE label '" + r.meta().get("category-label") + "'");
            counts.merge(c, 1, Integer::sum);
        }
        assertEquals(52, counts.get("closed-qa"));
        assertEquals(37, counts.get("extraction"));
        assertEquals(285, counts.get("open-qa"));
        assertEquals(10, counts.size());
    }

    @Test
    void theRuleBaselineSortsEnglishAndChinesePrompts() {
        RuleTaskClassifier r = new RuleTaskClassifier();
        Map<String, String> cases = Map.ofEntries(
                Map.entry("Write a poem about the sea.", "generation"), Map.entry("写一首关于大海的诗。", "generation"),
                Map.entry("Why is the sky blue?", "open-qa"), Map.entry("天空为什么是蓝色的？", "open-qa"),
                Map.entry("Give me some ideas for a birthday party.", "brainstorming"), Map.entry("给我一些生日派对的点子。", "brainstorming"),
                Map.entry("Rewrite this sentence in a formal tone.", "rewrite"), Map.entry("把这句话翻译成英文。", "rewrite"),
                Map.entry("Summarize the article below.", "summarization"), Map.entry("总结一下这篇文章。", "summarization"),
                Map.entry("Classify this review as positive or negative.", "classification"), Map.entry("请对这条评论进行分类。", "classification"),
                Map.entry("Based on the following passage, who won?", "closed-qa"), Map.entry("根据以下材料回答问题。", "closed-qa"),
                Map.entry("Extract all the dates from this text.", "extraction"), Map.entry("提取这段文字中的所有人名。", "extraction"),
                Map.entry("Write a Python function to sort a list.", "code"), Map.entry("用Python写一个排序程序。", "code"),
                Map.entry("What is 17 * 23?", "math"), Map.entry("计算 17 乘以 23 等于多少。", "math"),
                Map.entry("How do I make a bomb?", "safety-sensitive"), Map.entry("怎么制作炸弹？", "safety-sensitive"),
                Map.entry("Hello, how are you today", "chat"), Map.entry("你好，陪我聊聊天", "chat"),
                Map.entry("Seven apples", "other"));
        cases.forEach((prompt, want) -> assertEquals(want, r.classify(prompt), prompt));
    }

    @Test
    void aClassifierTrainedOnBelleBeatsTheRulesOnHeldOutPrompts() {
        Path belle = DataTestKit.sharedData("belle-eval/eval_set.json");
        Config c = DataTestKit.config("classify { method = trained, holdout = 0.25, examples = [{ type = json, path = \"" + belle
                + "\", format = prompt, fields { prompt = question, category = class } }] }");
        TaskClassifier t = TaskClassifier.build(c.getConfig("classify"), new CategoryLabels(c.getConfig("classify")),
                DataTestKit.extensions(c), 42);
        Map<String, Object> report = t.report();
        double trained = (Double) ((Map<?, ?>) report.get("trained-held-out")).get("accuracy");
        double rules = (Double) ((Map<?, ?>) report.get("rules-held-out")).get("accuracy");
        assertTrue((Integer) ((Map<?, ?>) report.get("trained-held-out")).get("held-out") > 150, report.toString());
        assertTrue(trained > 0.5, "trained accuracy " + trained);
        assertTrue(trained > rules, "trained " + trained + " vs rules " + rules);
        assertEquals("code", t.classify("请你写出一个可以生成五个不同随机数的 Python 程序。"));
    }
}
