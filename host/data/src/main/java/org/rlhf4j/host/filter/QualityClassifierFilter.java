package org.rlhf4j.host.filter;

import org.rlhf4j.host.text.RecordText;
import org.rlhf4j.host.text.TextNormalizer;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pf4j.Extension;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Extensions;
import org.rlhf4j.api.RunContext;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.data.FilterDecision;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.data.RecordFilter;
import org.rlhf4j.host.classify.Evaluation;
import org.rlhf4j.host.classify.HashedFeatures;
import org.rlhf4j.host.classify.LabelledExamples;
import org.rlhf4j.host.classify.SoftmaxRegression;
import org.rlhf4j.host.report.ReportContributor;

/**
 * A binary quality classifier trained in-process from configured high- and low-quality examples
 * (GPT-3's filter: logistic regression on hashed n-gram features, trained to tell curated text from raw
 * crawl), with held-out precision and recall in the report. {@code mode = threshold} keeps records whose
 * high-quality probability reaches {@code threshold}; {@code mode = pareto} keeps a record when a
 * Pareto(alpha) draw exceeds {@code 1 - score} (GPT-3, alpha 9), so some lower-scored text stays for
 * diversity; the draw is seeded by the run seed and the record id, so it does not depend on order.
 * Kept records get {@code meta.quality-score}. Training happens on first use, not at construction.
 */
@Extension
@ExtensionName("quality-classifier")
public final class QualityClassifierFilter implements RecordFilter, ReportContributor {

    record QualitySettings(boolean pareto, double threshold, double paretoAlpha, double holdout, int bits, int epochs,
                           double learningRate, double l2, int maxChars) {
        static QualitySettings from(Config c) {
            String mode = c.getString("mode");
            if (!mode.equals("threshold") && !mode.equals("pareto")) {
                throw new ConfigProblem(c, "mode", "must be threshold or pareto, got '" + mode + "'");
            }
            double holdout = c.getDouble("holdout");
            if (holdout <= 0 || holdout >= 1) {
                throw new ConfigProblem(c, "holdout", "must be between 0 and 1 (exclusive), got " + holdout);
            }
            return new QualitySettings(mode.equals("pareto"), c.getDouble("threshold"), c.getDouble("pareto-alpha"), holdout,
                    c.getInt("feature-bits"), c.getInt("epochs"), c.getDouble("learning-rate"), c.getDouble("l2"), c.getInt("max-chars"));
        }
    }

    private final QualitySettings s;
    private final Config config;
    private final Extensions extensions;
    private final long seed;
    private final HashedFeatures features;
    private volatile SoftmaxRegression model;
    private Map<String, Object> evaluation = Map.of();

    @Inject
    public QualityClassifierFilter(@Settings Config settings, Extensions extensions, RunContext run) {
        this.s = QualitySettings.from(settings);
        if (settings.getConfigList("high").isEmpty() || settings.getConfigList("low").isEmpty()) {
            throw new ConfigProblem(settings, settings.getConfigList("high").isEmpty() ? "high" : "low",
                    "the quality classifier needs high- and low-quality example sources");
        }
        this.config = settings;
        this.extensions = extensions;
        this.seed = run.seed("quality-classifier");
        this.features = new HashedFeatures(s.bits(), s.maxChars());
    }

    /** The probability that a text is high quality. */
    public double score(String text) {
        return model().probabilities(features.of(text))[1];
    }

    @Override
    public FilterDecision apply(Record record) {
        double score = score(RecordText.of(record));
        boolean keep;
        if (s.pareto()) {
            double u = (TextNormalizer.mix(TextNormalizer.hash64(record.id()) ^ seed) >>> 11) * 0x1.0p-53;
            double draw = Math.pow(1 - u, -1 / s.paretoAlpha()) - 1; // numpy.random.pareto: Lomax(alpha)
            keep = draw > 1 - score;
        } else {
            keep = score >= s.threshold();
        }
        String formatted = String.format(Locale.ROOT, "%.3f", score);
        if (!keep) {
            return FilterDecision.drop(record, "low-quality: classifier score " + formatted
                    + (s.pareto() ? " (Pareto sample)" : " < " + s.threshold()));
        }
        return FilterDecision.keep(record.withMeta("quality-score", formatted));
    }

    private SoftmaxRegression model() {
        SoftmaxRegression m = model;
        if (m == null) {
            synchronized (this) {
                if (model == null) {
                    model = train();
                }
                m = model;
            }
        }
        return m;
    }

    private SoftmaxRegression train() {
        List<LabelledExamples.Example> all = new ArrayList<>();
        all.addAll(LabelledExamples.read(extensions, config, "low", RecordText::of, r -> "low"));
        all.addAll(LabelledExamples.read(extensions, config, "high", RecordText::of, r -> "high"));
        List<SoftmaxRegression.Example> train = new ArrayList<>();
        List<SoftmaxRegression.Example> test = new ArrayList<>();
        for (LabelledExamples.Example e : all) {
            var ex = new SoftmaxRegression.Example(features.of(e.text()), e.label().equals("high") ? 1 : 0);
            (LabelledExamples.heldOut(e.id(), s.holdout(), seed) ? test : train).add(ex);
        }
        SoftmaxRegression m = SoftmaxRegression.train(train, 2, features.dimensions(), s.epochs(), s.learningRate(), s.l2(), seed);
        Evaluation ev = new Evaluation(List.of("low", "high"));
        for (SoftmaxRegression.Example e : test) {
            ev.add(e.label(), m.probabilities(e.features())[1] >= s.threshold() ? 1 : 0);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("mode", s.pareto() ? "pareto (alpha " + s.paretoAlpha() + ")" : "threshold " + s.threshold());
        r.put("trained-on", train.size());
        r.putAll(ev.report());
        evaluation = r;
        return m;
    }

    @Override
    public Map<String, Object> report() {
        return evaluation;
    }
}
