package org.rlhf4j.host.classify;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.Extensions;
import org.rlhf4j.host.text.RecordText;

/**
 * The prompt task classifier: the rule baseline ({@link RuleTaskClassifier}) or a softmax regression on
 * hashed n-grams trained from the labelled {@code examples} ({@code method = trained}). When examples are
 * configured, both are evaluated on the same held-out part, so the report shows what training bought.
 */
public final class TaskClassifier {

    private final CategoryLabels labels;
    private final RuleTaskClassifier rules = new RuleTaskClassifier();
    private final HashedFeatures features;
    private final SoftmaxRegression model;
    private final Map<String, Object> report = new LinkedHashMap<>();

    private TaskClassifier(CategoryLabels labels, HashedFeatures features, SoftmaxRegression model) {
        this.labels = labels;
        this.features = features;
        this.model = model;
    }

    /** Reads the examples, trains when {@code method = trained}, evaluates on the held-out part. */
    public static TaskClassifier build(Config settings, CategoryLabels labels, Extensions extensions, long seed) {
        String method = settings.getString("method");
        if (!method.equals("rules") && !method.equals("trained")) {
            throw new ConfigProblem(settings, "method", "must be rules or trained, got '" + method + "'");
        }
        boolean hasExamples = !settings.getConfigList("examples").isEmpty();
        if (method.equals("trained") && !hasExamples) {
            throw new ConfigProblem(settings, "examples", "method = trained needs labelled examples");
        }
        HashedFeatures features = new HashedFeatures(settings.getInt("feature-bits"), 2000);
        if (!hasExamples) {
            TaskClassifier t = new TaskClassifier(labels, features, null);
            t.report.put("method", method);
            return t;
        }
        List<String> cats = labels.categories();
        List<LabelledExamples.Example> examples = LabelledExamples.read(extensions, settings, "examples", RecordText::prompt,
                r -> labels.map(r.meta().get("category-label")));
        double holdout = settings.getDouble("holdout");
        List<SoftmaxRegression.Example> train = new ArrayList<>();
        List<LabelledExamples.Example> test = new ArrayList<>();
        for (LabelledExamples.Example e : examples) {
            if (LabelledExamples.heldOut(e.id(), holdout, seed)) {
                test.add(e);
            } else {
                train.add(new SoftmaxRegression.Example(features.of(e.text()), cats.indexOf(e.label())));
            }
        }
        SoftmaxRegression model = method.equals("trained")
                ? SoftmaxRegression.train(train, cats.size(), features.dimensions(), settings.getInt("epochs"),
                        settings.getDouble("learning-rate"), settings.getDouble("l2"), seed)
                : null;
        TaskClassifier t = new TaskClassifier(labels, features, model);
        t.report.put("method", method);
        t.report.put("examples", examples.size());
        t.report.put("trained-on", model == null ? 0 : train.size());
        Evaluation ruleEval = new Evaluation(cats);
        Evaluation trainedEval = new Evaluation(cats);
        for (LabelledExamples.Example e : test) {
            int gold = cats.indexOf(e.label());
            ruleEval.add(gold, index(cats, t.rules.classify(e.text())));
            if (model != null) {
                trainedEval.add(gold, model.predict(features.of(e.text())));
            }
        }
        t.report.put("rules-held-out", ruleEval.report());
        if (model != null) {
            t.report.put("trained-held-out", trainedEval.report());
        }
        return t;
    }

    private static int index(List<String> cats, String c) {
        int i = cats.indexOf(c);
        return i >= 0 ? i : Math.max(0, cats.indexOf("other"));
    }

    /** The category of a prompt. */
    public String classify(String prompt) {
        if (model != null) {
            return labels.categories().get(model.predict(features.of(prompt)));
        }
        String c = rules.classify(prompt);
        return labels.categories().contains(c) ? c : labels.categories().contains("other") ? "other" : labels.categories().get(0);
    }

    public String method() {
        return model != null ? "trained" : "rules";
    }

    /** The classifier's part of the report: method, examples, held-out precision and recall. */
    public Map<String, Object> report() {
        return report;
    }
}
