package org.rlhf4j.host.data;

import org.rlhf4j.host.records.RecordJsonl;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.rlhf4j.api.data.Record;

/**
 * A generated bilingual web-like corpus for the data bench: English and Chinese documents of a few
 * kilobytes built from word and character pools, with exact copies, near copies, junk short texts,
 * boilerplate lines and private data planted at fixed rates, written as record JSONL. Deterministic for a
 * seed; written in one streaming pass, so any size fits in memory.
 */
public final class SyntheticCorpus {

    private static final String[] EN_WORDS = ("the of and to in a is that for it as was with be by on not he this are or his from at which "
            + "but have an they you were her she there been one all we their has would when if so no what up out who them some could "
            + "river town library school market garden council station harbour bridge museum village forest valley mountain farm road "
            + "people family children teacher student worker visitor resident volunteer doctor farmer writer artist engineer "
            + "built opened changed moved grew started finished planned visited studied wrote found kept shared helped carried "
            + "small old new quiet busy local public early late long short bright cold warm open free careful steady simple "
            + "year season morning evening week month summer winter spring autumn history record report story plan project "
            + "water light stone wood paper music road field hill lake coast island street square house room window door").split(" ");
    private static final String ZH_CHARS = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学"
            + "法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间"
            + "样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式"
            + "活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海"
            + "口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张"
            + "信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感"
            + "劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严";
    private static final String[] BOILERPLATE = {"Home | About | Contact", "This site uses cookies to improve your experience.",
        "Share on Facebook", "首页 | 关于我们 | 联系方式", "本网站使用cookie以改善体验。", "Click here to subscribe"};
    private static final String[] JUNK = {"ok", "lol", "Click here!!!", "哈哈哈哈哈哈", "谢谢", "Buy now", "好的好的好的"};

    private final SplittableRandom random;

    public SyntheticCorpus(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** Writes documents until the file holds at least {@code bytes}; returns the number of records. */
    public long write(Path file, long bytes) throws IOException {
        long written = 0;
        long n = 0;
        String previous = null;
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
            while (written < bytes) {
                int kind = random.nextInt(100);
                String text;
                if (kind < 4 && previous != null) {
                    text = previous.toUpperCase(java.util.Locale.ROOT);
                } else if (kind < 8 && previous != null) {
                    text = previous + (Character.isIdeographic(previous.codePointAt(0)) ? "本文转载自网络。" : " This story was updated.");
                } else if (kind < 11) {
                    text = JUNK[random.nextInt(JUNK.length)];
                } else {
                    text = random.nextInt(2) == 0 ? english() : chinese();
                    previous = text;
                }
                String line = RecordJsonl.toLine(Record.document("bench:" + n, text, Map.of(), null));
                w.write(line);
                w.newLine();
                written += line.getBytes(StandardCharsets.UTF_8).length + 1;
                n++;
            }
        }
        return n;
    }

    private String english() {
        StringBuilder b = new StringBuilder(4096);
        int paragraphs = 4 + random.nextInt(10);
        if (random.nextInt(5) == 0) {
            b.append(BOILERPLATE[random.nextInt(3)]).append('\n');
        }
        for (int p = 0; p < paragraphs; p++) {
            int sentences = 2 + random.nextInt(4);
            for (int s = 0; s < sentences; s++) {
                int words = 8 + random.nextInt(14);
                for (int i = 0; i < words; i++) {
                    String w = EN_WORDS[random.nextInt(EN_WORDS.length)];
                    if (i == 0) {
                        w = Character.toUpperCase(w.charAt(0)) + w.substring(1);
                    }
                    b.append(w).append(i + 1 < words ? " " : ". ");
                }
            }
            if (random.nextInt(30) == 0) {
                b.append("Write to ").append("reader").append(random.nextInt(1000)).append("@example.org for a copy.");
            }
            b.setLength(b.length() - (b.charAt(b.length() - 1) == ' ' ? 1 : 0));
            b.append('\n');
        }
        return b.toString().strip();
    }

    private String chinese() {
        StringBuilder b = new StringBuilder(2048);
        int paragraphs = 3 + random.nextInt(8);
        if (random.nextInt(5) == 0) {
            b.append(BOILERPLATE[3 + random.nextInt(2)]).append('\n');
        }
        for (int p = 0; p < paragraphs; p++) {
            int sentences = 2 + random.nextInt(4);
            for (int s = 0; s < sentences; s++) {
                int chars = 10 + random.nextInt(25);
                for (int i = 0; i < chars; i++) {
                    b.append(ZH_CHARS.charAt(random.nextInt(ZH_CHARS.length())));
                    if (i == chars / 2) {
                        b.append('，');
                    }
                }
                b.append(random.nextInt(8) == 0 ? '？' : '。');
            }
            if (random.nextInt(30) == 0) {
                b.append("联系电话13").append(100000000 + random.nextInt(899999999)).append('。');
            }
            b.append('\n');
        }
        return b.toString().strip();
    }
}
