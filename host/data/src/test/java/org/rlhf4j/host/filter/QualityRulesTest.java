package org.rlhf4j.host.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.data.FilterDecision;
import org.rlhf4j.api.data.FilterDecision.Action;
import org.rlhf4j.host.testkit.DataTestKit;

class QualityRulesTest {

    static final String EN = """
            The old library in the harbour district has changed a great deal over the last decade, according to people who live nearby.
            It offers free classes to people of all ages, and the staff answer their questions with patience.
            Experts say that the approach could be used in other towns with similar conditions.
            The next phase of the work is expected to begin early next year, with support from the local newspaper.
            Critics have pointed out that the costs were higher than first planned, but most residents welcome the change.""";

    static final String ZH = """
            山区的小学在过去十年里发生了很大的变化，居民们普遍表示欢迎。周末的时候，很多家庭会带着孩子来这里参观。
            专家认为，这种做法可以推广到条件相似的其他地区。下一阶段的工作预计将在明年年初开始。
            也有人指出，实际花费比最初的计划高了不少。附近的学生经常把这里当作安静的学习场所。
            组织者希望在五年内让参与人数翻一番。早期的记录显示，这一地区的发展速度非常快。""";

    static FilterDecision run(org.rlhf4j.api.data.RecordFilter f, String text) {
        return f.apply(DataTestKit.doc("d", text));
    }

    static String reasonOf(org.rlhf4j.api.data.RecordFilter f, String text) {
        FilterDecision d = run(f, text);
        return d.action() == Action.DROP ? d.reason() : "kept";
    }

    @Test
    void gopherQualityKeepsProseInBothLanguagesAndDropsWhatItsRulesName() {
        GopherQuality g = new GopherQuality(DataTestKit.settings("gopher-quality", ""));
        assertEquals("kept", reasonOf(g, EN));
        assertEquals("kept", reasonOf(g, ZH));
        assertTrue(reasonOf(g, "Too short to count as a document.").startsWith("gopher-short-doc"));
        assertTrue(reasonOf(g, "短文本。").startsWith("gopher-short-doc"));
        String noStop = String.join(" ", Collections.nCopies(12, "cheap hotels best deals free casino bonus now."));
        assertTrue(reasonOf(g, noStop).startsWith("gopher-enough-stop-words"), reasonOf(g, noStop));
        String hashes = EN + "\n" + "#tag ".repeat(40);
        assertTrue(reasonOf(g, hashes).startsWith("gopher-too-many-hashes"), reasonOf(g, hashes));
        String bullets = "- " + String.join("\n- ", EN.split("\n")) + "\n- one\n- two";
        assertTrue(reasonOf(g, bullets).startsWith("gopher-too-many-bullets"), reasonOf(g, bullets));
        String symbols = EN + "\n" + "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40";
        assertTrue(reasonOf(g, symbols).startsWith("gopher-below-alpha-threshold"), reasonOf(g, symbols));
        String noZhStop = "山川河流湖泊森林草原沙漠冰川海洋岛屿半岛海峡海湾平原高原盆地丘陵峡谷瀑布温泉火山地震台风暴雨干旱洪水".repeat(2) + "。";
        assertTrue(reasonOf(g, noZhStop).startsWith("gopher-enough-stop-words"), reasonOf(g, noZhStop));
    }

    @Test
    void gopherRepetitionDropsRepeatedLinesAndNgramsInEnglishAndChinese() {
        GopherRepetition g = new GopherRepetition(DataTestKit.settings("gopher-repetition", ""));
        assertEquals("kept", reasonOf(g, EN));
        assertEquals("kept", reasonOf(g, ZH));
        String lines = String.join("\n", Collections.nCopies(6, "The best rooms of the hotel have a view of the sea.")) + "\n" + EN;
        assertTrue(reasonOf(g, lines).startsWith("gopher-dup-line"), reasonOf(g, lines));
        String zhLines = String.join("\n", Collections.nCopies(6, "这家酒店最好的房间可以看到大海。")) + "\n" + ZH;
        assertTrue(reasonOf(g, zhLines).startsWith("gopher-dup-line"), reasonOf(g, zhLines));
        String ngrams = EN.replace("\n", " ") + " " + "buy cheap tickets today ".repeat(8);
        assertTrue(reasonOf(g, ngrams).startsWith("gopher-top-") || reasonOf(g, ngrams).startsWith("gopher-duplicated-"), reasonOf(g, ngrams));
        String zhNgrams = ZH.replace("\n", "") + "免费领取大礼包".repeat(10);
        assertTrue(reasonOf(g, zhNgrams).startsWith("gopher-top-") || reasonOf(g, zhNgrams).startsWith("gopher-duplicated-"), reasonOf(g, zhNgrams));
    }

    @Test
    void c4RemovesBoilerplateLinesAndDropsPlaceholdersCodeAndTooFewSentences() {
        C4Lines c4 = new C4Lines(DataTestKit.settings("c4-lines", ""));
        assertEquals(Action.KEEP, run(c4, EN).action());
        assertEquals(Action.KEEP, run(c4, ZH).action());
        FilterDecision d = run(c4, "Home | About | Contact\n" + EN + "\nThis site uses cookies to improve your experience.\nEnable JavaScript to see the map.\n本网站使用cookies。\nShare on Facebook");
        assertEquals(Action.MODIFY, d.action());
        assertEquals(EN, d.record().text());
        assertTrue(d.reason().contains("5 line(s)"), d.reason());
        FilterDecision zh = run(c4, ZH + "\n点击分享\n首页");
        assertEquals(ZH, zh.record().text());
        assertTrue(reasonOf(c4, "Lorem ipsum dolor sit amet, consectetur.\n" + EN).startsWith("c4-lorem-ipsum"));
        assertTrue(reasonOf(c4, EN + "\nvar x = {a: 1};").startsWith("c4-curly-bracket"));
        assertTrue(reasonOf(c4, "One sentence here. Two sentences here.").startsWith("c4-too-few-sentences"));
        assertTrue(reasonOf(c4, "第一句话。第二句话！").startsWith("c4-too-few-sentences"));
    }

    @Test
    void fineWebDropsListsShortLinesAndDuplicatedLines() {
        FineWebQuality f = new FineWebQuality(DataTestKit.settings("fineweb-quality", ""));
        assertEquals("kept", reasonOf(f, EN));
        assertEquals("kept", reasonOf(f, ZH));
        List<String> shortEn = List.of("We met at noon.", "The bus was late.", "It rained.", "Then sun.", "We walked.", "Home at four.");
        assertTrue(reasonOf(f, String.join("\n", shortEn)).startsWith("fineweb-short-line-ratio"));
        List<String> shortZh = List.of("我们中午见面。", "公交车晚点了。", "下雨了。", "出太阳了。", "我们散步。", "四点回家。");
        assertTrue(reasonOf(f, String.join("\n", shortZh)).startsWith("fineweb-short-line-ratio"));
        List<String> noPunct = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            noPunct.add("menu entry number " + i + " leads to another page of the site without any sentence");
        }
        assertTrue(reasonOf(f, String.join("\n", noPunct)).startsWith("fineweb-line-punct-ratio"));
        String dup = EN + "\nRead more about the library and its history here.\nRead more about the library and its history here.";
        assertTrue(reasonOf(f, dup).startsWith("fineweb-char-dup-ratio"), reasonOf(f, dup));
    }

    @Test
    void shortTextDropsJunkInBothLanguagesButNotShortRealPrompts() {
        ShortText s = new ShortText(DataTestKit.settings("short-text", ""));
        assertTrue(reasonOf(s, "ok").startsWith("short-text"));
        assertTrue(reasonOf(s, "!!!???").startsWith("short-text"));
        assertTrue(reasonOf(s, "谢谢").startsWith("short-text"));
        assertTrue(reasonOf(s, "哈哈哈哈哈哈哈哈哈哈").startsWith("short-repetitive-text"));
        assertTrue(reasonOf(s, "lol lol lol lol lol lol").startsWith("short-repetitive-text"));
        assertEquals("kept", reasonOf(s, "写一首关于春天的诗。"));
        assertEquals("kept", reasonOf(s, "Write a short poem about spring."));
    }
}
