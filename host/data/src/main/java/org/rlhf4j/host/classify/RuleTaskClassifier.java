package org.rlhf4j.host.classify;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The rule baseline of the prompt task classifier: ordered keyword and pattern rules in English and
 * Chinese for InstructGPT's categories plus code, math and safety-sensitive; the first rule that matches
 * names the category, {@code other} when none does. Order matters: safety first, then the categories
 * whose cues are most specific (code, math, rewrite before generation, closed QA before open QA).
 */
public final class RuleTaskClassifier {

    private record Rule(String category, Pattern pattern) {
    }

    private static Rule rule(String category, String regex) {
        return new Rule(category, Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
    }

    private static final List<Rule> RULES = List.of(
            rule("safety-sensitive", "\\b(bomb|explosive|weapon|kill (?:him|her|them|someone|people)|suicide|self-harm|poison|steal"
                    + "|hack into|launder|meth|illegal drugs?)\\b|炸弹|爆炸物|自杀|毒品|杀人|杀死|武器|黑进|偷窃|盗取|诈骗|洗钱|制毒"),
            rule("code", "```|\\b(python|java(?!script)|javascript|c\\+\\+|golang|rust|sql|html|css|regex|function|algorithm|"
                    + "compile|debug|bug|code|script|api|class|def)\\b|代码|程序|编程|函数|算法|脚本|编写一个.*(程序|函数)"),
            rule("math", "\\d+\\s*[-+*/×÷^]\\s*\\d+|\\b(solve|equation|calculate|compute|integral|derivative|probability|"
                    + "how many|sum of|math)\\b|计算|方程|求解|等于多少|多少[个只元米]|概率|几何|数学|平方|乘以|除以|加上|减去"),
            rule("summarization", "\\b(summari[sz]e|summary|tl;?dr|sum up|in (?:one|a few) sentences?)\\b|总结|概括|摘要|归纳|概述"),
            rule("rewrite", "\\b(rewrite|rephrase|paraphrase|translate|polish|proofread|simplify|make (?:it|this) (?:more|less)|"
                    + "convert (?:this|the following))\\b|改写|重写|润色|翻译|改成|转换成|转换为|修改.*句|换一种说法|译成"),
            rule("extraction", "\\b(extract|pull out|list all the|find all the|identify (?:all|the) (?:names|dates|entities))\\b"
                    + "|提取|抽取|找出.*中的|列出.*中的"),
            rule("classification", "\\b(classify|categori[sz]e|which category|positive or negative|sentiment|is (?:this|it) (?:a|an)"
                    + "\\b.*\\bor\\b)|分类|归类|属于哪|哪一类|情感倾向|正面还是负面|判断.*(是否|类别|类型)"),
            rule("closed-qa", "\\b(based on (?:the|this) (?:following|passage|text|article)|according to the (?:passage|text|article)"
                    + "|given the (?:passage|text|context))\\b|根据(以下|下面|上面|这段|文章|材料|短文)|文中|文章中|段落中"),
            rule("brainstorming", "\\b(ideas?|brainstorm|suggest(?:ions)?|tips|ways to|list (?:some|\\d+|ten|five)|recommend)\\b"
                    + "|想法|建议|点子|头脑风暴|有哪些|列举|推荐|出主意"),
            rule("generation", "\\b(write|compose|create|draft|generate|story|poem|essay|letter|slogan|lyrics)\\b"
                    + "|写一|写个|写篇|创作|生成|作文|诗|故事|文案|写一封|撰写"),
            rule("chat", "^\\s*(hi|hello|hey|how are you|good (?:morning|evening)|let'?s chat|thanks?)\\b|你好|早上好|晚上好|聊聊|陪我|谢谢你|在吗"),
            rule("open-qa", "\\?|？|^\\s*(what|why|how|who|when|where|which|is|are|can|does|do)\\b|什么|为什么|怎么|如何|谁|哪|吗|多久|是否"));

    /** The category of a prompt. */
    public String classify(String prompt) {
        String p = prompt.length() > 2000 ? prompt.substring(0, 2000) : prompt;
        p = p.toLowerCase(Locale.ROOT);
        for (Rule r : RULES) {
            if (r.pattern().matcher(p).find()) {
                return r.category();
            }
        }
        return "other";
    }
}
