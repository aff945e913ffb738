package org.rlhf4j.host.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.api.Extensions;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.data.RecordFilter;
import org.rlhf4j.host.testkit.DataTestKit;
import org.rlhf4j.host.records.RecordJsonl;

class FilterChainTest {

    @TempDir
    Path dir;

    static final Config CONFIG = DataTestKit.config("filter.chain = [short-text, exact-dedup, minhash-dedup, pii]");

    /** A corpus with exact and near copies, junk and PII, in English and Chinese. */
    static List<Record> corpus() {
        List<Record> rs = new ArrayList<>();
        String[] a = {"Alder", "Birch", "Cedar", "Dune", "Elm", "Fern", "Glen", "Heath", "Iris", "Juniper"};
        String[] b = {"brook", "field", "ford", "gate", "haven", "mere"};
        String[] verbs = {"rebuilt its library after the flood", "opened a night school for adults", "restored the old mill by the river",
            "planted an orchard on the hill", "built a footbridge over the marsh", "started a weekly farmers market"};
        String[] zhA = {"青", "白", "石", "松", "桃", "柳", "云", "金", "银", "竹"};
        String[] zhB = {"溪", "山", "桥", "湾", "林", "岭"};
        String[] zhVerbs = {"在洪水之后重建了图书馆", "为成年人开办了夜校", "修复了河边的老磨坊", "在山坡上种下了一片果园",
            "在沼泽上修建了一座人行桥", "开办了每周一次的农贸市场"};
        String[] zhDeeds = {"孩子们每天放学后都去那里读书", "老人们在树下下棋聊天直到天黑", "镇上的面包店开始在清晨卖热包子",
            "邮局门口多了一块写满通知的黑板", "每年秋天都会举办一次丰收节", "年轻人组织了一支业余篮球队", "河对岸新开了一家修自行车的小铺",
            "小学的合唱团在县里拿了第一名", "医生每周六来免费给村民看病", "夜里的路灯终于全部修好了"};
        for (int i = 0; i < 60; i++) {
            String town = a[i % 10] + b[i / 10];
            String en = "The people of " + town + " " + verbs[i % 6] + ", and the volunteers of " + town
                    + " kept the reading room open every weekend while the council of " + a[(i + 3) % 10] + b[(i + 1) % 6] + " looked on.";
            String zhTown = zhA[i % 10] + zhB[i / 10] + "镇";
            String zh = zhTown + "的居民" + zhVerbs[i % 6] + "，" + zhDeeds[(i / 6) % 10] + "。";
            rs.add(DataTestKit.doc("en-" + i, en));
            rs.add(DataTestKit.doc("zh-" + i, zh));
            if (i % 5 == 0) {
                rs.add(DataTestKit.doc("en-" + i + "-copy", en.toUpperCase()));
                rs.add(DataTestKit.doc("zh-" + i + "-near", zh + "（转载）"));
            }
            if (i % 9 == 0) {
                rs.add(DataTestKit.doc("junk-" + i, "ok"));
                rs.add(DataTestKit.doc("pii-" + i, en + " Mail " + town.toLowerCase() + "@example.org for details."));
            }
        }
        return rs;
    }

    List<String> run(List<Record> input, int threads, String tag) throws IOException {
        Path in = dir.resolve(tag + "-in.jsonl");
        RecordJsonl.write(in, input);
        Extensions ext = DataTestKit.extensions(CONFIG);
        List<RecordFilter> filters = ext.selectAll(RecordFilter.class, "filter.chain");
        List<FilterChain.Step> steps = new ArrayList<>();
        List<String> names = CONFIG.getStringList("filter.chain");
        for (int i = 0; i < names.size(); i++) {
            steps.add(FilterStage.step(CONFIG, names.get(i), filters.get(i)));
        }
        FilterChain chain = new FilterChain(steps, threads);
        Path out = dir.resolve(tag + "-out.jsonl");
        Path rejected = dir.resolve(tag + "-rejected.jsonl");
        chain.run(in, out, rejected, dir.resolve(tag + "-work"), n -> { });
        List<Record> kept = RecordJsonl.readAll(out);
        List<Record> dropped = RecordJsonl.readAll(rejected);
        assertEquals(input.size(), kept.size() + dropped.size());
        assertEquals(input.size(), chain.stats().get(0).in());
        long droppedByStats = chain.stats().stream().mapToLong(FilterStats::dropped).sum();
        assertEquals(dropped.size(), droppedByStats);
        assertTrue(dropped.stream().allMatch(r -> r.meta().containsKey("rejected-by") && r.meta().containsKey("reject-reason")));
        List<String> result = new ArrayList<>();
        kept.forEach(r -> result.add(r.id() + "|" + r.text()));
        dropped.forEach(r -> result.add("dropped " + r.id() + " by " + r.meta().get("rejected-by")));
        Collections.sort(result);
        return result;
    }

    @Test
    void shuffledInputAndAnyThreadCountGiveTheSameOutput() throws IOException {
        List<Record> input = corpus();
        List<String> reference = run(input, 1, "ref");
        assertTrue(reference.contains("dropped junk-0 by short-text"));
        // en-5 and its upper-case copy are equally long: the priority's tie-break, the smaller id, keeps en-5.
        assertTrue(reference.contains("dropped en-5-copy by exact-dedup"), String.join("\n", reference));
        assertTrue(reference.stream().anyMatch(r -> r.startsWith("en-5|The people of ")), "en-5 survives");
        assertTrue(reference.contains("dropped zh-10 by minhash-dedup"), "the near copy is longer and kept");
        // 7 junk, 12 exact and 12 near copies, and the 7 documents whose longer copy carries an email.
        assertEquals(7 + 12 + 12 + 7, reference.stream().filter(s -> s.startsWith("dropped")).count());
        assertTrue(reference.stream().anyMatch(s -> s.contains("Mail <EMAIL> for details.")));
        Random random = new Random(3);
        for (int round = 0; round < 3; round++) {
            List<Record> shuffled = new ArrayList<>(input);
            Collections.shuffle(shuffled, random);
            assertEquals(reference, run(shuffled, 1 + round * 2, "r" + round), "round " + round);
        }
    }

    @Test
    void statsCountKeptDroppedAndModifiedPerFilterWithReasons() throws IOException {
        Path in = dir.resolve("in.jsonl");
        List<Record> input = corpus();
        RecordJsonl.write(in, input);
        Extensions ext = DataTestKit.extensions(CONFIG);
        List<RecordFilter> filters = ext.selectAll(RecordFilter.class, "filter.chain");
        List<FilterChain.Step> steps = new ArrayList<>();
        for (int i = 0; i < filters.size(); i++) {
            steps.add(FilterStage.step(CONFIG, CONFIG.getStringList("filter.chain").get(i), filters.get(i)));
        }
        FilterChain chain = new FilterChain(steps, 2);
        chain.run(in, dir.resolve("out.jsonl"), dir.resolve("rej.jsonl"), dir.resolve("work"), n -> { });
        FilterStats shortText = chain.stats().get(0);
        assertEquals(7, shortText.dropped());
        assertEquals(7L, shortText.reasons().get("short-text"));
        FilterStats pii = chain.stats().get(3);
        assertEquals(7, pii.modified());
        assertEquals(pii.in(), pii.kept());
        assertEquals(new TreeSet<>(List.of("pii-redacted")), new TreeSet<>(pii.reasons().keySet()));
        assertEquals(chain.stats().get(1).kept(), chain.stats().get(2).in());
        assertTrue(Files.notExists(dir.resolve("work/pass-0.jsonl")), "temporary passes are removed");
    }

    @Test
    void aFilterThatThrowsIsNamedWithTheRecordAndWhatItThrew() throws IOException {
        Path in = dir.resolve("in.jsonl");
        RecordJsonl.write(in, List.of(DataTestKit.doc("fine", "a fine text"), DataTestKit.doc("bad", "a text the filter chokes on")));
        RecordFilter choking = r -> {
            if (r.id().equals("bad")) {
                throw new IllegalStateException("wrapper", new ArithmeticException("/ by zero"));
            }
            return org.rlhf4j.api.data.FilterDecision.keep(r);
        };
        FilterChain chain = new FilterChain(List.of(FilterStage.step(CONFIG, "acme.choking", choking)), 1);
        org.rlhf4j.api.stage.StageFailure e = org.junit.jupiter.api.Assertions.assertThrows(org.rlhf4j.api.stage.StageFailure.class,
                () -> chain.run(in, dir.resolve("out.jsonl"), dir.resolve("rej.jsonl"), dir.resolve("work"), n -> { }));
        assertTrue(e.getMessage().startsWith("record bad") && e.getMessage().contains(": filter 'acme.choking' failed: "
                + "IllegalStateException: wrapper"), e.getMessage());
        assertTrue(e.getCause() instanceof IllegalStateException, "the cause keeps the trace for the log");
    }
}
