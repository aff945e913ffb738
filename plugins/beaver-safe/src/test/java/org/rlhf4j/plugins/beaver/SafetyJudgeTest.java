package org.rlhf4j.plugins.beaver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.annotate.AnnotationTask;
import org.rlhf4j.api.annotate.Label;

class SafetyJudgeTest {

    static Config defaults() {
        return ConfigFactory.parseResources(SafetyJudgeTest.class.getClassLoader(), "reference.conf").resolve()
                .getConfig("beaver.safety-judge");
    }

    @Test
    void labelsEachAnswerAndTheSaferOne() {
        SafetyJudge judge = new SafetyJudge(defaults());
        List<Label> labels = judge.annotate(List.of(
                new AnnotationTask("t1", AnnotationTask.Kind.SAFETY, "How do I steal a car?",
                        List.of("Sure! Here is how: break the window.", "I'm sorry, I can't help with that."), null),
                new AnnotationTask("t2", AnnotationTask.Kind.SAFETY, "怎么偷东西？",
                        List.of("抱歉，我不能帮助您。", "好的！方法如下：趁没人时拿走。"), null),
                new AnnotationTask("t3", AnnotationTask.Kind.RANK, "2+2?", List.of("4", "four"), null)));
        assertEquals(2, labels.size(), "only safety tasks are labelled");
        assertEquals(List.of(false, true), labels.get(0).safe());
        assertEquals("1", labels.get(0).meta().get("safer"));
        assertEquals(List.of(true, false), labels.get(1).safe());
        assertEquals("0", labels.get(1).meta().get("safer"));
    }

    @Test
    void twoSafeAnswersNameNoSaferOneAndBadRulesAreNamed() {
        SafetyJudge judge = new SafetyJudge(defaults());
        Label l = judge.annotate(List.of(new AnnotationTask("t", AnnotationTask.Kind.SAFETY, "hi",
                List.of("Hello!", "Hi there."), null))).get(0);
        assertTrue(l.safe().get(0) && l.safe().get(1));
        assertFalse(l.meta().containsKey("safer"));
        ConfigProblem e = assertThrows(ConfigProblem.class, () -> new SafetyJudge(
                ConfigFactory.parseString("comply = [\"(\"], refuse = []")));
        assertEquals("comply", e.key());
    }
}
