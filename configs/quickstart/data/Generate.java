import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Writes the quickstart's bilingual data, deterministically (java.util.Random with a fixed seed):
 *   java configs/quickstart/data/Generate.java configs/quickstart/data
 * corpus/   English and Chinese web-like documents with planted exact and near duplicates, junk short
 *           texts, boilerplate lines, other languages, PII and secrets; a small WET file
 * code/     three repositories: MIT (with secrets planted), GPL-3.0 (not allowed), MIT marked private
 * prompts/  labelled task-classification examples, an evaluation set, Alpaca SFT data, rm-static preferences
 * quality/  high- and low-quality examples for the quality classifier
 * Every sentence, name, number and key here is made up for the project.
 */
public final class Generate {

    static final Random R = new Random(20240601);

    static final String[] EN_SUBJECTS = {"The river valley", "The old library", "A small fishing town", "The city council",
        "The mountain railway", "A local bakery", "The research team", "The museum of science", "The harbour district",
        "A community garden", "The northern forest", "The public school", "A family farm", "The night market",
        "The weather station", "An independent bookshop", "The coastal road", "A volunteer group", "The county hospital",
        "The university choir"};
    static final String[] EN_VERBS = {"has changed a great deal over the last decade", "attracts visitors from many regions",
        "depends on careful planning and steady funding", "was rebuilt after the flood of the previous spring",
        "keeps detailed records of every season", "offers free classes to people of all ages",
        "relies on the work of dozens of volunteers", "has become a model for similar projects in the area",
        "publishes a short report at the end of each year", "faces new challenges as the population grows",
        "opened a second site near the train station", "works closely with the regional authorities",
        "shares its findings with schools and libraries", "was founded by a group of retired teachers",
        "has a long history that few residents know about"};
    static final String[] EN_TAILS = {"according to people who live nearby", "which surprised many observers",
        "and the results have been encouraging", "even though the budget remained small", "during the busy summer months",
        "with support from the local newspaper", "as the annual survey shows", "despite several difficult winters",
        "and most residents welcome the change", "while keeping its original character",
        "after a long public debate", "thanks to a generous private donation", "in spite of early doubts",
        "long before the new highway was built", "with help from two nearby universities", "as older members still remember",
        "under a new director", "to the delight of local children", "although progress was slow at first",
        "in a quiet and practical way"};
    static final String[] EN_EXTRA = {"Many families visit on weekends, and the staff answer their questions with patience.",
        "Experts say that the approach could be used in other towns with similar conditions.",
        "The next phase of the work is expected to begin early next year.",
        "Critics have pointed out that the costs were higher than first planned.",
        "Local students often use the place as a quiet spot to study and read.",
        "A new guide explains the history of the site in plain language.",
        "The project also trains young people in practical skills that are hard to find elsewhere.",
        "Records from the early years show how much the area has grown since then.",
        "Visitors are asked to respect the rules and to keep the paths clean.",
        "The organisers hope to double the number of participants within five years."};

    static final String[] ZH_SUBJECTS = {"这座城市的公共交通", "山区的小学", "河边的老图书馆", "当地的农贸市场", "社区的志愿者团队",
        "沿海的小渔村", "学校的科学实验室", "博物馆的新展厅", "北方的森林公园", "老城区的手工作坊", "市立医院的急诊科",
        "大学的合唱团", "郊区的家庭农场", "夜市的小吃摊", "气象站的研究人员"};
    static final String[] ZH_VERBS = {"在过去十年里发生了很大的变化", "每年都吸引了来自各地的游客", "依靠细致的规划和稳定的资金",
        "在去年春天的洪水之后进行了重建", "为不同年龄的居民提供免费课程", "得到了许多志愿者的长期支持",
        "已经成为周边地区同类项目的榜样", "每年年底都会发布一份简短的报告", "随着人口增长面临新的挑战",
        "在火车站附近开设了第二个服务点", "与地方政府保持着密切的合作"};
    static final String[] ZH_TAILS = {"这让很多人感到意外", "居民们普遍表示欢迎", "尽管预算一直比较紧张", "在夏季尤其明显",
        "当地报纸也进行了报道", "年度调查的数据也证明了这一点", "同时保留了原有的特色", "效果令人满意",
        "经过了长时间的公开讨论", "得益于一笔私人捐款", "虽然起初有人怀疑", "附近两所大学也提供了帮助", "老一辈居民至今记忆犹新",
        "新任负责人上任以后更加明显", "孩子们对此特别高兴", "尽管一开始进展缓慢"};
    static final String[] ZH_EXTRA = {"周末的时候，很多家庭会带着孩子来这里参观。", "专家认为，这种做法可以推广到条件相似的其他地区。",
        "下一阶段的工作预计将在明年年初开始。", "也有人指出，实际花费比最初的计划高了不少。", "附近的学生经常把这里当作安静的学习场所。",
        "一本新的手册用通俗的语言介绍了这里的历史。", "组织者希望在五年内让参与人数翻一番。", "早期的记录显示，这一地区的发展速度非常快。"};

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : ".");
        corpus(out.resolve("corpus"));
        code(out.resolve("code"));
        prompts(out.resolve("prompts"));
        quality(out.resolve("quality"));
    }

    // ---------------------------------------------------------------- corpus

    static String pick(String[] a) {
        return a[R.nextInt(a.length)];
    }

    /** Draws from pools without replacement within one document, so a document repeats no phrase. */
    static final class Pools {
        final List<List<String>> left = new ArrayList<>();

        Pools(String[]... pools) {
            for (String[] p : pools) {
                List<String> l = new ArrayList<>(List.of(p));
                Collections.shuffle(l, R);
                left.add(l);
            }
        }

        String next(int pool) {
            List<String> l = left.get(pool);
            return l.isEmpty() ? null : l.remove(l.size() - 1);
        }
    }

    static String enSentence() {
        return pick(EN_SUBJECTS) + " " + pick(EN_VERBS) + ", " + pick(EN_TAILS) + ".";
    }

    static String enDoc(int paragraphs) {
        Pools pools = new Pools(EN_SUBJECTS, EN_VERBS, EN_TAILS, EN_EXTRA);
        List<String> lines = new ArrayList<>();
        for (int p = 0; p < paragraphs; p++) {
            StringBuilder b = new StringBuilder();
            for (int s = 0; s < 3; s++) {
                String extra = R.nextInt(3) == 0 ? pools.next(3) : null;
                String verb = pools.next(1);
                String sentence = extra != null || verb == null ? (extra != null ? extra : pools.next(3))
                        : pools.next(0) + " " + verb + ", " + pools.next(2) + ".";
                b.append(s > 0 ? " " : "").append(sentence);
            }
            lines.add(b.toString());
        }
        return String.join("\n", lines);
    }

    static String zhSentence() {
        return pick(ZH_SUBJECTS) + pick(ZH_VERBS) + "，" + pick(ZH_TAILS) + "。";
    }

    static String zhDoc(int paragraphs) {
        Pools pools = new Pools(ZH_SUBJECTS, ZH_VERBS, ZH_TAILS, ZH_EXTRA);
        List<String> lines = new ArrayList<>();
        for (int p = 0; p < paragraphs; p++) {
            StringBuilder b = new StringBuilder();
            for (int s = 0; s < 3; s++) {
                String extra = R.nextInt(3) == 0 ? pools.next(3) : null;
                String verb = pools.next(1);
                String sentence = extra != null || verb == null ? (extra != null ? extra : pools.next(3))
                        : pools.next(0) + verb + "，" + pools.next(2) + "。";
                b.append(sentence);
            }
            lines.add(b.toString());
        }
        return String.join("\n", lines);
    }

    /** A near duplicate: one sentence added at the end, and a few words changed. */
    static String nearCopy(String doc, boolean zh) {
        String extra = zh ? "这篇文章最后一次更新是在上个月。" : " This article was last updated a month ago.";
        return doc.replace(zh ? "居民" : " residents ", zh ? "市民" : " citizens ").replace(zh ? "项目" : " project ", zh ? "工程" : " scheme ")
                + extra;
    }

    static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }

    static String doc(String id, String text, String url) {
        return "{\"id\":" + json(id) + ",\"text\":" + json(text) + ",\"url\":" + json(url) + "}";
    }

    static void corpus(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<String> en = new ArrayList<>();
        List<String> zh = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            String text = enDoc(4 + R.nextInt(2));
            if (i % 7 == 0) {
                text = "Home | About | Contact\n" + text + "\nThis site uses cookies to improve your experience.\nShare on Facebook";
            }
            en.add(doc("en-" + i, text, "https://news.example.org/en/" + i));
            if (i % 10 == 1) {
                en.add(doc("en-" + i + "-copy", text.toUpperCase().replace("\n", "\n\n"), "https://mirror.example.net/en/" + i));
            }
            if (i % 10 == 2) {
                en.add(doc("en-" + i + "-near", nearCopy(text, false), "https://blog.example.com/en/" + i));
            }
        }
        for (int i = 0; i < 60; i++) {
            String text = zhDoc(3 + R.nextInt(3));
            if (i % 9 == 0) {
                text = "首页 | 关于我们 | 联系方式\n" + text + "\n本网站使用cookies以改善您的体验。\n点击分享";
            }
            zh.add(doc("zh-" + i, text, "https://news.example.cn/zh/" + i));
            if (i % 10 == 3) {
                zh.add(doc("zh-" + i + "-copy", text.replace("，", ", ").replace("\n", "\n\n"), "https://mirror.example.cn/zh/" + i));
            }
            if (i % 10 == 4) {
                zh.add(doc("zh-" + i + "-near", nearCopy(text, true), "https://blog.example.cn/zh/" + i));
            }
        }
        // Private data planted in otherwise good documents (redacted, not dropped).
        en.add(doc("en-pii-1", enDoc(4) + "\nFor questions, write to maria.keller@example-mail.com or call +44 20 7946 0958 before Friday.",
                "https://news.example.org/en/pii-1"));
        en.add(doc("en-pii-2", enDoc(4) + "\nThe payment was made with card 4111 1111 1111 1111 from the address 81.2.69.160, we were told.",
                "https://news.example.org/en/pii-2"));
        en.add(doc("en-pii-3", enDoc(4) + "\nThe old mirror at ftp://admin:s3cretPass@files.example.org/pub is still online, the team says.",
                "https://news.example.org/en/pii-3"));
        zh.add(doc("zh-pii-1", zhDoc(3) + "\n如有疑问，请联系张先生，手机13912345678，邮箱 zhang.wei@example.cn。",
                "https://news.example.cn/zh/pii-1"));
        zh.add(doc("zh-pii-2", zhDoc(3) + "\n登记表上的身份证号码是11010519491231002X，工作人员已经核对。",
                "https://news.example.cn/zh/pii-2"));
        zh.add(doc("zh-secret", zhDoc(3) + "\n有人把配置贴到了论坛上：api_key = \"9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c\"，随后被删除。",
                "https://forum.example.cn/zh/secret"));
        // Junk: short texts, placeholders, lists, repetition, code in prose, other languages.
        String[] junk = {"ok", "Click here!!!", "哈哈哈哈哈哈哈哈哈哈", "谢谢", "lol lol lol lol lol lol", "!!!???", "Buy now", "好的好的好的好的好的"};
        for (int i = 0; i < junk.length; i++) {
            (i % 2 == 0 ? en : zh).add(doc("junk-" + i, junk[i], "https://spam.example.com/" + i));
        }
        // Low-quality text that passes the rules but not the quality classifier: SEO spam written in sentences.
        for (int i = 0; i < 3; i++) {
            en.add(doc("en-spam-" + i, spam(false, 12), "https://deals.example.com/" + i));
            zh.add(doc("zh-spam-" + i, spam(true, 12), "https://deals.example.cn/" + i));
        }
        // Many short lines: kept by C4's line rules, dropped by FineWeb's short-line ratio.
        en.add(doc("en-short-lines", String.join("\n", List.of("We met at noon today.", "The bus was late again.",
                "It rained for an hour.", "Then the sun came out.", "We walked to the park.", "The gate was still closed.",
                "A guard opened it for us.", "We sat by the lake.", "The ducks were hungry.", "We shared our bread with them.",
                "At four we went home.", "The bus was on time.", "It was a good day.")), "https://diary.example.com/1"));
        zh.add(doc("zh-short-lines", String.join("\n", List.of("我们中午见面了。", "公交车又晚点了。", "下了一个小时的雨。",
                "后来太阳出来了。", "我们走到公园。", "大门还没有开。", "保安帮我们开了门。", "我们坐在湖边。", "鸭子们很饿。",
                "我们把面包分给它们。", "四点钟我们回家了。", "这是美好的一天。")), "https://diary.example.cn/1"));
        en.add(doc("en-lorem", "Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n" + enDoc(3), "https://template.example.com/1"));
        en.add(doc("en-repeat", String.join("\n", Collections.nCopies(12, "The best rooms of the hotel have a view of the sea and the old harbour.")),
                "https://spam.example.com/hotels"));
        zh.add(doc("zh-repeat", String.join("\n", Collections.nCopies(12, "这家酒店最好的房间可以看到大海和老港口，我们的价格是全城最低的。")),
                "https://spam.example.cn/hotels"));
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            list.append("- item ").append(i).append(" price ").append(10 + i).append("\n");
        }
        en.add(doc("en-list", list.toString().strip(), "https://shop.example.com/list"));
        en.add(doc("en-code-in-prose", enDoc(3) + "\nfunction init() { return window.setup({debug: true}); }", "https://dev.example.com/1"));
        en.add(doc("ja-1", "東京の下町にある小さな図書館は、毎週土曜日に子ども向けの読み聞かせ会を開いています。地域のボランティアが絵本を選び、親子で楽しめる時間を作っています。"
                + "最近では外国から来た家族の参加も増えており、やさしい日本語で話す工夫もしています。図書館の職員は、この活動が町のつながりを強めていると考えています。", "https://example.jp/1"));
        en.add(doc("ja-2", "この町の駅前商店街では、毎年夏に小さなお祭りが行われます。地元の人たちが屋台を出し、子どもたちは浴衣を着て集まります。"
                + "お祭りの準備は春から始まり、商店街の人々が何度も話し合いを重ねます。", "https://example.jp/2"));
        en.add(doc("fr-1", "La petite ville au bord de la rivière a beaucoup changé au cours des dix dernières années. Les habitants se réunissent chaque samedi au marché, "
                + "où les agriculteurs vendent leurs produits. La mairie a ouvert une nouvelle bibliothèque près de la gare, et les enfants y viennent après l'école.",
                "https://example.fr/1"));
        en.add(doc("ru-1", "Небольшой город на берегу реки сильно изменился за последние десять лет. Жители собираются каждую субботу на рынке, где фермеры продают свои продукты. "
                + "Рядом с вокзалом открылась новая библиотека, и дети приходят туда после школы.", "https://example.ru/1"));
        Files.write(dir.resolve("web-en.jsonl"), en, StandardCharsets.UTF_8);
        Files.write(dir.resolve("web-zh.jsonl"), zh, StandardCharsets.UTF_8);
        // One malformed line, skipped and reported with its file and line.
        Files.writeString(dir.resolve("web-en.jsonl"), "{\"id\": \"broken\", \"text\": \"an unterminated line\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        wet(dir.resolve("crawl.warc.wet"));
    }

    static void wet(Path file) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            String text = i % 2 == 0 ? enDoc(4) : zhDoc(3);
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            b.append("WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Target-URI: https://crawl.example.org/page/").append(i)
                    .append("\r\nWARC-Date: 2024-06-01T00:00:0").append(i).append("Z\r\nContent-Type: text/plain\r\nContent-Length: ")
                    .append(body.length).append("\r\n\r\n").append(text).append("\r\n\r\n");
        }
        Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
    }

    static final String[] SPAM_EN = {"Buy the best cheap hotel deals now and save big on your next trip!",
        "Click here to win a free casino bonus and get rich with the best offer of the year!",
        "Get the cheapest loans in town with no checks and the best rates, apply now!",
        "Lose weight fast with this one secret pill that the doctors do not want you to know about!",
        "Earn money from home with the best system, no work and huge profits every day!",
        "Best price guaranteed on all the top brands, free shipping and a big discount today!",
        "Sign up now to get the exclusive free gift and the best bonus for new members!",
        "Limited offer: buy two and get three free, only for the first hundred buyers!",
        "Visit our shop for the best deals and the cheapest prices on the market today!",
        "Win an iPhone now, just click the link and enter your details to claim the prize!",
        "Hot sale on cheap watches and bags, the best quality and the lowest prices!",
        "Join the best casino online and get a free bonus with your first deposit now!",
        "Amazing deals on cheap flights, book now and save more than half of the price!",
        "Make your skin look ten years younger with the best cream, order now and save!"};
    static final String[] SPAM_ZH = {"最低价优惠大放送，立即购买还有免费赠品！", "点击链接马上赢取大奖，机会难得不要错过！",
        "加微信领取新人红包，秒杀活动今天截止！", "代理招募中，在家就能轻松赚钱，月入过万！", "全场商品一律五折，包邮到家，先到先得！",
        "免费注册即送大礼包，老用户推荐再送现金！", "限时抢购名牌手表，价格全网最低，数量有限！", "减肥神药一周瘦十斤，无效全额退款！",
        "特价机票天天有，立即预订最高省一半！", "网上赚钱的最好方法，每天只需十分钟！", "美容护肤套装买一送一，今天下单立减五十！",
        "贷款不看征信，当天放款，利息全网最低！", "高额回报投资项目，稳赚不赔，赶快加入！"};

    /** Spam in sentences, one per line, no sentence twice. */
    static String spam(boolean zh, int lines) {
        List<String> pool = new ArrayList<>(List.of(zh ? SPAM_ZH : SPAM_EN));
        Collections.shuffle(pool, R);
        return String.join("\n", pool.subList(0, Math.min(lines, pool.size())));
    }

    // ---------------------------------------------------------------- code

    static final String MIT = """
            MIT License

            Copyright (c) 2024 Quickstart Example Authors

            Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated
            documentation files (the "Software"), to deal in the Software without restriction, including without limitation
            the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software.

            THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND.
            """;
    static final String GPL = """
            GNU GENERAL PUBLIC LICENSE
            Version 3, 29 June 2007

            Copyright (C) 2007 Free Software Foundation, Inc.
            Everyone is permitted to copy and distribute verbatim copies of this license document, but changing it is not allowed.
            """;

    static void code(Path dir) throws IOException {
        Path mit = dir.resolve("weather-tools");
        Files.createDirectories(mit.resolve("src"));
        Files.writeString(mit.resolve("LICENSE"), MIT);
        Files.writeString(mit.resolve("src/stations.py"), """
                \"\"\"Reads weather station records and computes daily means.\"\"\"

                def daily_mean(readings):
                    \"\"\"Mean of a list of temperature readings; None for an empty list.\"\"\"
                    if not readings:
                        return None
                    return sum(readings) / len(readings)
                """);
        Files.writeString(mit.resolve("src/upload.py"), """
                import boto3

                # Uploads the daily report. The keys below were committed by mistake.
                AWS_ACCESS_KEY_ID = "AKIAQYLPMN5HHHFPZAM2"
                AWS_SECRET_ACCESS_KEY = "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"

                def upload(path):
                    client = boto3.client("s3", aws_access_key_id=AWS_ACCESS_KEY_ID,
                                          aws_secret_access_key=AWS_SECRET_ACCESS_KEY)
                    client.upload_file(path, "reports", path)
                """);
        Files.writeString(mit.resolve("src/Client.java"), """
                package weather;

                /** Calls the station service with a bearer token. */
                public final class Client {
                    private static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzdGF0aW9uLTQyIiwicm9sZSI6ImFkbWluIn0.c2lnbmF0dXJlLW5vdC1yZWFsLWF0LWFsbA";
                    private static final String GITHUB = "ghp_Xq7Lm2Vb9Kc4Ty8Wp3Rz6Nd1Hf5Gj0Sa2UeQ4";

                    public String token() {
                        return TOKEN;
                    }
                }
                """);
        Files.writeString(mit.resolve("src/deploy.key.md"), """
                Deployment notes: the server key follows.

                -----BEGIN RSA PRIVATE KEY-----
                MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu
                KUpRKfFLfRYC9AIKjbJTWit+CqvjWYzvQwECAwEAAQJAIJLixBy2qpFoS4DSmoEm
                -----END RSA PRIVATE KEY-----
                """);
        Path gpl = dir.resolve("plot-lib");
        Files.createDirectories(gpl);
        Files.writeString(gpl.resolve("COPYING"), GPL);
        Files.writeString(gpl.resolve("plot.py"), """
                def scale(values, factor):
                    \"\"\"Multiplies every value by a factor.\"\"\"
                    return [v * factor for v in values]
                """);
        Path priv = dir.resolve("internal-billing");
        Files.createDirectories(priv);
        Files.writeString(priv.resolve("LICENSE"), MIT);
        Files.writeString(priv.resolve(".private"), "internal repository: not for training\n");
        Files.writeString(priv.resolve("invoice.js"), """
                // Totals an invoice.
                export function total(lines) {
                  return lines.reduce((sum, l) => sum + l.amount, 0);
                }
                """);
    }

    // ---------------------------------------------------------------- prompts

    static final String[][] CATEGORY_PROMPTS = {
        {"generation", "Write a short poem about %s.", "Compose a letter to a friend about %s.", "Write a story that begins at %s.",
            "写一首关于%s的诗。", "写一篇关于%s的短文。", "创作一个发生在%s的故事。"},
        {"open qa", "What is the history of %s?", "Why do people care about %s?", "How does %s work?",
            "%s有什么历史？", "为什么人们关心%s？", "%s是如何运作的？"},
        {"brainstorming", "Give me some ideas for improving %s.", "List some ways to promote %s.", "Suggest five tips for visiting %s.",
            "给我一些改进%s的点子。", "列举几个宣传%s的方法。", "关于参观%s，你有哪些建议？"},
        {"chat", "Hi! I just got back from %s.", "Hello, how are you today? I was thinking about %s.", "Hey, let's chat about %s.",
            "你好！我刚从%s回来。", "在吗？想和你聊聊%s。", "早上好，我们聊聊%s吧。"},
        {"rewrite", "Rewrite this sentence to sound more formal: the trip to %s was fun.", "Translate into French: I like %s.",
            "Paraphrase: %s is busy on weekends.", "把这句话改写得更正式：去%s玩得很开心。", "翻译成英文：我喜欢%s。", "润色这句话：%s周末人很多。"},
        {"summarization", "Summarize the following report about %s in two sentences.", "Give a one-line summary of the news about %s.",
            "TL;DR of the article on %s, please.", "总结下面这篇关于%s的报告。", "用一句话概括关于%s的新闻。", "请为关于%s的文章写一段摘要。"},
        {"classification", "Classify this review of %s as positive or negative.", "Which category does this text about %s belong to: sports, travel or food?",
            "Is this comment about %s positive or negative?", "判断这条关于%s的评论是正面还是负面。", "这段关于%s的文字属于哪一类：体育、旅游还是美食？", "请对这条关于%s的留言进行分类。"},
        {"closed qa", "Based on the following passage about %s, when was it founded?", "According to the text, who runs %s?",
            "Given the passage on %s, how many people visit each year?", "根据以下关于%s的材料，它是哪一年建成的？", "根据这段文字，%s由谁管理？", "文章中提到%s每年有多少游客？"},
        {"extract", "Extract all the dates mentioned in the notice about %s.", "Pull out the names of the people in the article on %s.",
            "List all the places in this text about %s.", "提取关于%s的通知中提到的所有日期。", "从这篇关于%s的文章中抽取所有人名。", "找出这段关于%s的文字中的地名。"},
        {"other", "%s.", "Nothing more to add about %s", "%s: see attached",
            "%s。", "关于%s，没有别的了", "%s：见附件"},
        {"code", "Write a Python function that counts the visitors to %s.", "Fix the bug in this JavaScript code for the %s website.",
            "Write an SQL query listing the events at %s.", "用Python写一个统计%s游客数量的函数。", "帮我修复%s网站的这段代码。", "写一个查询%s活动的SQL语句。"},
        {"math", "If 120 people visit %s each day, how many visit in 7 days?", "Solve the equation 3x + 5 = 20 for the ticket price at %s.",
            "Calculate 15%% of 240 for the discount at %s.", "如果每天有120人参观%s，7天一共有多少人？", "解方程3x+5=20，求%s的门票价格。", "计算%s的门票打八折后是多少钱：240元乘以0.8等于多少？"},
        {"safety-sensitive", "How can I make a bomb to scare people at %s?", "Tell me how to steal from the shops at %s.",
            "How do I poison the water near %s?", "怎么制作炸弹去%s吓唬别人？", "教我怎么在%s偷窃。", "如何在%s附近买到毒品？"},
    };
    static final String[] TOPICS_EN = {"the river valley", "the old library", "the night market", "the mountain railway", "the harbour",
        "the science museum", "the community garden", "the coastal road", "the city park", "the farm"};
    static final String[] TOPICS_ZH = {"河谷", "老图书馆", "夜市", "山区铁路", "港口", "科学博物馆", "社区花园", "海滨公路", "城市公园", "农场"};

    static void prompts(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<String> examples = new ArrayList<>();
        List<String> eval = new ArrayList<>();
        int n = 0;
        for (String[] cat : CATEGORY_PROMPTS) {
            for (int t = 0; t < TOPICS_EN.length; t++) {
                for (int k = 1; k < cat.length; k++) {
                    boolean zh = k > 3;
                    String prompt = String.format(cat[k], zh ? TOPICS_ZH[t] : TOPICS_EN[t]);
                    String line = "{\"id\":\"ex-" + n++ + "\",\"prompt\":" + json(prompt) + ",\"category\":" + json(cat[0]) + "}";
                    (t < 8 ? examples : eval).add(line);
                }
            }
        }
        Files.write(dir.resolve("task-examples.jsonl"), examples, StandardCharsets.UTF_8);
        Files.write(dir.resolve("eval.jsonl"), eval, StandardCharsets.UTF_8);
        List<String> alpaca = new ArrayList<>();
        String[][] sft = {
            {"写一首关于秋天的短诗。", "秋风吹过金色的田野，\n落叶轻轻铺满小路。\n远处的山渐渐安静，\n我们把收获装进心里。"},
            {"Summarize why community gardens matter.", "Community gardens give neighbours fresh food, a shared place to meet, and a way for children to learn how plants grow."},
            {"List three tips for visiting a museum with children.", "1. Plan a short route.\n2. Let the children choose one room.\n3. Take breaks and bring snacks."},
            {"把这句话翻译成英文：图书馆周末开放到晚上八点。", "The library is open until 8 p.m. on weekends."},
            {"What is 12 times 15?", "12 times 15 is 180: 12 x 10 = 120 and 12 x 5 = 60, and 120 + 60 = 180."},
            {"用Python写一个函数，返回列表中的最大值。", "def largest(values):\n    return max(values) if values else None"},
            {"Hi! How are you today?", "I'm doing well, thank you for asking. What would you like to talk about?"},
            {"根据以下材料回答：这座桥建于1998年，全长1200米。这座桥有多长？", "根据材料，这座桥全长1200米。"},
            {"Please contact me at lena.fischer@example-mail.com about the garden project.", "Thank you! I will pass your message to the garden team."},
        };
        for (String[] pair : sft) {
            alpaca.add("  {\"instruction\": " + json(pair[0]) + ", \"input\": \"\", \"output\": " + json(pair[1]) + "}");
        }
        Files.writeString(dir.resolve("sft-alpaca.json"), "[\n" + String.join(",\n", alpaca) + "\n]\n", StandardCharsets.UTF_8);
        List<String> prefs = new ArrayList<>();
        String[][] rm = {
            {"How do I keep basil alive indoors?", "Put it in a sunny window, water it when the top of the soil is dry, and pinch off the flowers.", "Basil is a plant."},
            {"怎样才能睡得更好？", "保持规律的作息，睡前一小时不看手机，卧室保持安静和凉爽。", "多睡觉就好了。"},
            {"Explain what a library card is for.", "A library card lets you borrow books, use the computers and join events at the library.", "It is a card."},
            {"推荐一本适合初学者的编程书。", "可以从一本讲Python基础的入门书开始，书里有大量练习，适合没有经验的人。", "随便买一本。"},
        };
        for (String[] p : rm) {
            prefs.add("{\"prompt\":" + json("\n\nHuman: " + p[0] + "\n\nAssistant:") + ",\"chosen\":" + json(" " + p[1])
                    + ",\"rejected\":" + json(" " + p[2]) + "}");
        }
        Files.write(dir.resolve("preferences.jsonl"), prefs, StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- quality

    static void quality(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<String> high = new ArrayList<>();
        List<String> low = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            high.add("{\"id\":\"hq-" + i + "\",\"text\":" + json(i % 2 == 0 ? enDoc(3) : zhDoc(2)) + "}");
            StringBuilder spam = new StringBuilder();
            String[] words = i % 2 == 0
                    ? new String[] {"cheap", "best", "deal", "buy", "free", "click", "now", "hotel", "casino", "win", "bonus", "sale"}
                    : new String[] {"免费", "点击", "最低价", "优惠", "赢取", "大奖", "立即", "购买", "推广", "代理", "加微信", "秒杀"};
            for (int w = 0; w < 40 + R.nextInt(30); w++) {
                spam.append(words[R.nextInt(words.length)]).append(i % 2 == 0 ? (R.nextInt(6) == 0 ? "!!! " : " ") : (R.nextInt(6) == 0 ? "！！" : ""));
            }
            String lowText = i % 3 == 0 ? spam(i % 2 == 1, 6 + R.nextInt(6)) : spam.toString().strip();
            low.add("{\"id\":\"lq-" + i + "\",\"text\":" + json(lowText) + "}");
        }
        Files.write(dir.resolve("high.jsonl"), high, StandardCharsets.UTF_8);
        Files.write(dir.resolve("low.jsonl"), low, StandardCharsets.UTF_8);
    }
}
