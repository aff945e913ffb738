package org.rlhf4j.host.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.data.FilterDecision;
import org.rlhf4j.host.testkit.DataTestKit;

class LanguageFilterTest {

    static LanguageFilter filter;

    @BeforeAll
    static void create() {
        filter = new LanguageFilter(DataTestKit.settings("language", ""));
    }

    /** The share of a file's first {@code n} sentences detected as {@code lang}. */
    static double share(String file, String lang, int n) throws IOException {
        Path p = DataTestKit.sharedData("langid/sentences/" + file);
        List<String> lines = Files.readAllLines(p).stream().filter(l -> !l.isBlank()).limit(n).toList();
        long hits = lines.stream().filter(l -> filter.detect(l).language().equals(lang)).count();
        return (double) hits / lines.size();
    }

    @Test
    void leipzigSentencesAreIdentifiedAndJapaneseIsNotTakenForChinese() throws IOException {
        assertTrue(share("zh.txt", "zh", 300) > 0.95, "zh recall " + share("zh.txt", "zh", 300));
        assertTrue(share("en.txt", "en", 300) > 0.95, "en recall " + share("en.txt", "en", 300));
        double jaAsZh = share("ja.txt", "zh", 300);
        assertTrue(jaAsZh < 0.05, "ja sentences taken for zh: " + jaAsZh);
        assertTrue(share("fr.txt", "en", 300) < 0.05);
        assertTrue(share("ko.txt", "zh", 300) < 0.01);
    }

    @Test
    void keepsTargetLanguagesWithTheirScoreAndDropsOthersWithTheLanguageNamed() {
        FilterDecision zh = filter.apply(DataTestKit.doc("a", "山区的小学在过去十年里发生了很大的变化，居民们普遍表示欢迎。"));
        assertEquals(FilterDecision.Action.KEEP, zh.action());
        assertEquals("zh", zh.record().meta().get("lang"));
        assertTrue(Double.parseDouble(zh.record().meta().get("lang-score")) >= 0.5);
        FilterDecision ja = filter.apply(DataTestKit.doc("b", "東京の下町にある小さな図書館は、毎週土曜日に子ども向けの読み聞かせ会を開いています。"));
        assertEquals(FilterDecision.Action.DROP, ja.action());
        assertTrue(ja.reason().startsWith("language: ja"), ja.reason());
        FilterDecision de = filter.apply(DataTestKit.doc("c", "Die kleine Stadt am Fluss hat sich in den letzten zehn Jahren sehr verändert."));
        assertTrue(de.reason().startsWith("language: de"), de.reason());
    }

    @Test
    void theLatinTrigramPathDecidesAsLinguaDoes() throws IOException {
        LatinTrigrams latin = LatinTrigrams.load(List.of("en", "zh", "ja", "ko", "ru", "fr", "de", "es"));
        int answered = 0;
        int texts = 0;
        for (String lang : List.of("en", "fr", "de", "es")) {
            List<String> lines = Files.readAllLines(DataTestKit.sharedData("langid/sentences/" + lang + ".txt")).stream()
                    .filter(l -> !l.isBlank()).limit(400).toList();
            for (int i = 0; i + 3 < lines.size(); i += 2) {
                // 200-character samples (language.max-chars) cut anywhere, with digits, quotes and punctuation as found
                String text = (lines.get(i) + " " + lines.get(i + 1) + "\n" + lines.get(i + 2) + " " + lines.get(i + 3)).substring(i % 7);
                String sample = text.substring(0, Math.min(200, text.length()));
                LanguageFilter.Detection fast = latin.detect(sample);
                texts++;
                if (fast != null) {
                    answered++;
                    assertEquals(filter.byLingua(sample), fast, sample);
                }
            }
        }
        // Most English and many other samples are plain ASCII and long enough; accented letters go to Lingua.
        assertTrue(answered > texts / 4, answered + " of " + texts + " answered by the trigram tables");
        String menu = "Home | About | Contact\nThe council opened the new library on Monday, and people from every village "
                + "came to see the reading room, the garden and the small museum of local history upstairs.";
        assertEquals(filter.byLingua(menu), latin.detect(menu), "symbols are kept by Lingua's cleaning and end trigrams");
        assertEquals(null, latin.detect("Too short for the trigram-only path."));
        LanguageFilter enZh = new LanguageFilter(DataTestKit.settings("language", "language.candidates = [en, zh]"));
        LatinTrigrams one = LatinTrigrams.load(List.of("en", "zh"));
        assertEquals(enZh.byLingua(menu), one.detect(menu), "one Latin-script candidate");
        String noWord = "a+b c+d e+f g+h i+j k+l m+n o+p q+r s+t u+v w+x y+z ab+cd ef+gh ij+kl mn+op qr+st uv+wx yz+ab "
                + "cd+ef gh+ij kl+mn op+qr st+uv wx+yz";
        assertEquals(null, one.detect(noWord), "no word wholly in Latin script: Lingua keeps every candidate");
        assertEquals(null, latin.detect("Un café près de la gare, où l'on parle de tout et de rien pendant des heures, "
                + "tous les matins de la semaine, depuis très longtemps déjà, dit-on."));
    }

    @Test
    void aLowScoreIsDroppedWhenTheThresholdIsHigh() {
        LanguageFilter strict = new LanguageFilter(DataTestKit.settings("language", "language.min-score = 0.999"));
        FilterDecision d = strict.apply(DataTestKit.doc("a", "ok bien"));
        assertEquals(FilterDecision.Action.DROP, d.action());
    }
}
