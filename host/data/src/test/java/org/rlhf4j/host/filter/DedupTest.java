package org.rlhf4j.host.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.data.FilterDecision;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.data.RecordFilter;
import org.rlhf4j.host.testkit.DataTestKit;

class DedupTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Indexes every record, then returns the ids the filter keeps (modified ones included). */
    static Set<String> kept(RecordFilter f, List<Record> records) {
        records.forEach(f::index);
        f.indexDone();
        return records.stream().filter(r -> f.apply(r).action() != FilterDecision.Action.DROP)
                .map(Record::id).collect(Collectors.toCollection(TreeSet::new));
    }

    static ExactDedup exact(String hocon) {
        return new ExactDedup(DataTestKit.settings("exact-dedup", hocon));
    }

    static MinHashDedup minhash(String hocon) {
        return new MinHashDedup(DataTestKit.settings("minhash-dedup", hocon));
    }

    @Test
    void exactDedupFoldsCaseSpacingAndFullWidthPunctuationAndKeepsTheLongestCopy() {
        List<Record> rs = List.of(
                DataTestKit.doc("a", "今天天气很好，我们去公园散步。"),
                DataTestKit.doc("b", "今天天气很好,我们去公园散步.  "),
                DataTestKit.doc("c", "今天天气很好！我们去公园散步！！"),
                DataTestKit.doc("d", "The Quick brown fox."),
                DataTestKit.doc("e", "the quick   BROWN fox"),
                DataTestKit.doc("f", "The quick brown fox jumps."));
        // Kept: the longest copy of each text (b has trailing spaces, e extra inner ones).
        assertEquals(Set.of("b", "e", "f"), kept(exact(""), rs));
        ExactDedup byId = exact("exact-dedup.priority = id");
        assertEquals(Set.of("a", "d", "f"), kept(byId, rs));
        assertTrue(byId.apply(rs.get(1)).reason().contains("as a (kept)"), byId.apply(rs.get(1)).reason());
    }

    @Test
    void dolmaByUrlAndParagraphDedupMatchTheirExpectedAttributes() throws IOException {
        Path dolma = DataTestKit.sharedData("dedup/dolma");
        List<Record> docs = new ArrayList<>();
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(
                new GZIPInputStream(Files.newInputStream(dolma.resolve("data__provided__deduper__documents__000.json.gz")))))) {
            String line;
            while ((line = in.readLine()) != null) {
                JsonNode n = JSON.readTree(line);
                docs.add(Record.document(n.get("id").asText(), n.get("text").asText(),
                        Map.of("url", n.path("metadata").path("url").asText()), null));
            }
        }
        assertEquals(10, docs.size());
        // dedupe-by-url: only #1 (a second page with #0's metadata.url) is marked.
        Set<String> byUrl = kept(exact("exact-dedup { key = meta.url, priority = id }"), docs);
        assertEquals(9, byUrl.size());
        assertTrue(!byUrl.contains(docs.get(1).id()) && byUrl.contains(docs.get(0).id()));
        // dedupe-paragraphs: 43 paragraphs (3,121 chars with their newlines) of #1 are duplicates of #0's, nothing else.
        ExactDedup para = exact("exact-dedup { unit = paragraph, normalize = false, priority = id }");
        docs.forEach(para::index);
        para.indexDone();
        for (int i = 0; i < docs.size(); i++) {
            FilterDecision d = para.apply(docs.get(i));
            if (i == 1) {
                assertEquals(FilterDecision.Action.MODIFY, d.action());
                assertTrue(d.reason().contains("removed 43 paragraph(s), 3078 chars"), d.reason());
                assertEquals(docs.get(1).text().length() - 3078 - 43, d.record().text().length());
            } else {
                assertEquals(FilterDecision.Action.KEEP, d.action(), "doc " + i);
            }
        }
        // Their word-5-gram Jaccard is 0.37: no near-duplicate pair at 14 x 8.
        assertEquals(10, kept(minhash(""), docs).size());
    }

    @Test
    void datatroveLoremClustersKeepOneDocumentPerCluster() throws IOException {
        List<Record> docs = new ArrayList<>();
        Map<String, Integer> cluster = new java.util.HashMap<>();
        for (String line : Files.readAllLines(DataTestKit.sharedData("dedup/datatrove/lorem_clusters.jsonl"))) {
            JsonNode n = JSON.readTree(line);
            docs.add(DataTestKit.doc(n.get("id").asText(), n.get("text").asText()));
            cluster.put(n.get("id").asText(), n.get("cluster").asInt());
        }
        MinHashDedup f = minhash("");
        Set<String> kept = kept(f, docs);
        assertEquals(6, kept.size(), "6 clusters, one kept each: " + kept);
        assertEquals(6, kept.stream().map(cluster::get).distinct().count());
        assertEquals(4, f.clusters().size());
        for (List<String> c : f.clusters()) {
            assertEquals(1, c.stream().map(cluster::get).distinct().count(), "a reported cluster mixes upstream clusters: " + c);
        }
    }

    @Test
    void nemoCuratorFuzzyGroupsAtEachJaccardThreshold() throws IOException {
        JsonNode fixture = JSON.readTree(DataTestKit.sharedData("dedup/nemo-curator/fuzzy_dedup_5docs.json").toFile());
        List<Record> docs = new ArrayList<>();
        fixture.get("documents").forEach(d -> docs.add(DataTestKit.doc(d.get("id").asText(), d.get("text").asText())));
        for (JsonNode expected : fixture.get("expected_duplicate_groups")) {
            MinHashDedup f = minhash("minhash-dedup { tokens = chars, char-ngram = " + expected.get("char_ngrams").asInt()
                    + ", bands = 40, rows = 1, jaccard-threshold = " + expected.get("jaccard_threshold").asDouble() + " }");
            kept(f, docs);
            Set<Set<String>> groups = f.clusters().stream().map(Set::copyOf).collect(Collectors.toSet());
            Set<Set<String>> want = new java.util.HashSet<>();
            expected.get("groups").forEach(g -> {
                Set<String> s = new java.util.HashSet<>();
                g.forEach(id -> s.add(id.asText()));
                want.add(s);
            });
            assertEquals(want, groups, "threshold " + expected.get("jaccard_threshold"));
        }
        List<Record> distinct = new ArrayList<>();
        fixture.get("no_duplicates_fixture").forEach(d -> distinct.add(DataTestKit.doc(d.get("id").asText(), d.get("text").asText())));
        assertEquals(4, kept(minhash("minhash-dedup { tokens = chars, bands = 40, rows = 1, jaccard-threshold = 0.5 }"), distinct).size());
    }

    @Test
    void chineseNearDuplicatesAreFoundWithCharacterNgrams() {
        String base = "山区的小学在过去十年里发生了很大的变化，居民们普遍表示欢迎。周末的时候，很多家庭会带着孩子来这里参观。"
                + "专家认为，这种做法可以推广到条件相似的其他地区。下一阶段的工作预计将在明年年初开始。组织者希望在五年内让参与人数翻一番。"
                + "早期的记录显示，这一地区的发展速度非常快。一本新的手册用通俗的语言介绍了这里的历史。";
        List<Record> rs = List.of(DataTestKit.doc("zh-1", base), DataTestKit.doc("zh-2", base.replace("居民们", "市民们") + "本文上个月更新。"),
                DataTestKit.doc("zh-3", "港口附近的夜市每天晚上都很热闹，游客们喜欢在这里品尝各种小吃，摊主们也会热情地介绍自己的特色菜。"));
        assertEquals(Set.of("zh-2", "zh-3"), kept(minhash(""), rs));
    }

    @Test
    void theKeptCopyDoesNotDependOnInputOrder() throws IOException {
        List<Record> docs = new ArrayList<>();
        for (String line : Files.readAllLines(DataTestKit.sharedData("dedup/datatrove/lorem_clusters.jsonl"))) {
            JsonNode n = JSON.readTree(line);
            docs.add(DataTestKit.doc(n.get("id").asText(), n.get("text").asText()));
            docs.add(DataTestKit.doc(n.get("id").asText() + "-copy", n.get("text").asText().toUpperCase()));
        }
        // Every text is 400 characters, so each filter keeps the smallest id of a cluster: the exact one drops every
        // upper-case copy (an original's id sorts first), MinHash all but one document of each of the 6 clusters.
        Set<String> expected = Set.of("0_0", "1_0", "2_0", "3_0", "4_0", "5_0");
        Random random = new Random(7);
        for (int round = 0; round < 5; round++) {
            List<Record> shuffled = new ArrayList<>(docs);
            Collections.shuffle(shuffled, random);
            Set<String> byExact = kept(exact(""), shuffled);
            assertEquals(16, byExact.size(), "round " + round + ": " + byExact);
            assertTrue(byExact.stream().noneMatch(id -> id.endsWith("-copy")), "round " + round + ": " + byExact);
            Set<String> k = kept(minhash(""), shuffled);
            k.retainAll(byExact);
            assertEquals(expected, k, "round " + round);
        }
    }
}
