package org.rlhf4j.host.answers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class AnswerCheckTest {

    private static final List<Pattern> TAGS = List.of(Pattern.compile("\\\\boxed\\{((?:[^{}]|\\{[^{}]*\\})*)\\}"),
            Pattern.compile("(?s)<answer>(.*?)</answer>"));
    private static final AnswerCheck LAST = new AnswerCheck(AnswerCheck.Mode.AUTO, AnswerCheck.LookIn.LAST, TAGS);
    private static final AnswerCheck ANYWHERE = new AnswerCheck(AnswerCheck.Mode.AUTO, AnswerCheck.LookIn.ANYWHERE, TAGS);
    private static final AnswerCheck TAG = new AnswerCheck(AnswerCheck.Mode.AUTO, AnswerCheck.LookIn.TAG, TAGS);

    private static double value(String text) {
        Numbers.Mention m = Numbers.whole(text).orElseThrow(() -> new AssertionError("no number: " + text));
        return m.numerator().doubleValue() / m.denominator().doubleValue();
    }

    @Test
    void readsNumbersInEveryWrittenForm() {
        assertEquals(1000, value("1,000"));
        assertEquals(1000, value("1000.0"));
        assertEquals(-3, value("-3"));
        assertEquals(0.75, value("3/4"));
        assertEquals(0.75, value("\\frac{3}{4}"));
        assertEquals(12, value("十二"));
        assertEquals(20, value("二十"));
        assertEquals(105, value("一百零五"));
        assertEquals(12000, value("一万二千"));
        assertEquals(20000, value("两万"));
        assertEquals(2025, value("二零二五"));
        assertEquals(12, value("twelve"));
        assertEquals(99, value("Ninety-nine"));
        assertEquals(123, value("one hundred and twenty-three"));
        assertEquals(2500, value("two thousand five hundred"));
        assertEquals(7, value("7."));
        assertTrue(Numbers.whole("Paris").isEmpty());
        assertTrue(Numbers.whole("万一").isEmpty(), "万一 is 'in case'");
        assertTrue(Numbers.whole("one two").isEmpty(), "two numbers, not one");
        assertEquals(List.of(1L, 2L), Numbers.find("one and two").stream().map(m -> m.numerator().longValue()).toList());
        assertTrue(Numbers.find("someone").isEmpty(), "no word inside a word");
    }

    @Test
    void numbersAreWhole() {
        assertFalse(LAST.correct("5 plus 7 is 112.", "12"));
        assertFalse(ANYWHERE.correct("5 plus 7 is 112.", "12"));
        assertFalse(ANYWHERE.correct("It is 12.5", "12"));
        assertFalse(ANYWHERE.correct("It is -12", "12"));
        assertFalse(ANYWHERE.correct("六加六等于十二。", "二"), "二 inside 十二 is another number");
        assertTrue(ANYWHERE.correct("六加六等于十二。", "十二"));
        assertTrue(ANYWHERE.correct("六加六等于12。", "十二"));
        assertTrue(LAST.correct("Five plus seven is twelve.", "12"));
        assertTrue(LAST.correct("That makes 1,000 in all.", "1000"));
        assertTrue(LAST.correct("Half of 1.5 is 3/4", "0.75"));
    }

    @Test
    void lastCountsTheFinalNumberAndTagsComeFirst() {
        assertTrue(LAST.correct("Sure! 5 plus 7 is 12.", "12"));
        assertFalse(LAST.correct("12? No: 5 plus 7 is 13.", "12"), "the last number is the answer");
        assertTrue(ANYWHERE.correct("12? No: 5 plus 7 is 13.", "12"));
        assertTrue(LAST.correct("The sum is \\boxed{12}, not 13.", "12"), "a tag's content wins over the last number");
        assertTrue(LAST.correct("<answer>\\frac{3}{4}</answer> so 0.5", "3/4"));
        assertFalse(TAG.correct("5 plus 7 is 12.", "12"), "look-in tag: no tag, wrong");
        assertTrue(TAG.correct("I think <answer> twelve </answer>", "12"));
    }

    @Test
    void multipleChoice() {
        assertEquals(AnswerCheck.Mode.CHOICE, LAST.modeFor("B"));
        assertEquals(AnswerCheck.Mode.CHOICE, LAST.modeFor("(C)"));
        assertTrue(LAST.correct("The answer is (B).", "B"));
        assertTrue(LAST.correct("我认为答案是C。", "C"));
        assertTrue(LAST.correct("A good option is hard to pick... D.", "D"), "the article A is no choice");
        assertFalse(LAST.correct("A or B? The answer is B", "A"));
        assertTrue(ANYWHERE.correct("(A) and (C) are both right", "C"));
        assertFalse(LAST.correct("Answer: E", "B"));
    }

    @Test
    void exactPhrases() {
        assertEquals(AnswerCheck.Mode.EXACT, LAST.modeFor("Paris"));
        assertTrue(LAST.correct("The capital of France is Paris.", "paris"));
        assertFalse(LAST.correct("Paris, I hope this helps.", "Paris"), "last: the phrase must end the answer");
        assertTrue(ANYWHERE.correct("Paris, I hope this helps.", "Paris"));
        assertFalse(ANYWHERE.correct("Parisian food is good.", "Paris"));
        assertTrue(LAST.correct("<answer>  New   York </answer> is big", "new york"));
        assertTrue(ANYWHERE.correct("法国的首都是巴黎。", "巴黎"));
        assertFalse(ANYWHERE.correct("法国的首都是罗马。", "巴黎"));
    }

    @Test
    void anExpectedAnswerThatDoesNotFitTheModeIsRefused() {
        AnswerCheck numeric = new AnswerCheck(AnswerCheck.Mode.NUMERIC, AnswerCheck.LookIn.LAST, TAGS);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> numeric.correct("Paris", "Paris"));
        assertTrue(e.getMessage().contains("'Paris' is not a number"), e.getMessage());
    }
}
