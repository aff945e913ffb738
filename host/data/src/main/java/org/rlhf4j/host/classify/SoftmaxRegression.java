package org.rlhf4j.host.classify;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Multinomial logistic regression over hashed sparse features (binary logistic regression when there
 * are two classes), trained by plain SGD with L2 decay, examples shuffled by a seeded generator so the
 * same data and seed give the same model. Small and in-process: enough for quality and task classifiers
 * trained from a few hundred or thousand labelled examples.
 */
public final class SoftmaxRegression {

    /** One labelled training example. */
    public record Example(HashedFeatures.Vector features, int label) {
    }

    private final float[][] weights;

    private SoftmaxRegression(float[][] weights) {
        this.weights = weights;
    }

    /** Trains on {@code examples} with {@code classes} labels. */
    public static SoftmaxRegression train(List<Example> examples, int classes, int dimensions, int epochs,
                                          double learningRate, double l2, long seed) {
        float[][] w = new float[classes][dimensions];
        SoftmaxRegression model = new SoftmaxRegression(w);
        List<Example> order = new ArrayList<>(examples);
        Random random = new Random(seed);
        double[] p = new double[classes];
        for (int epoch = 0; epoch < epochs; epoch++) {
            java.util.Collections.shuffle(order, random);
            double lr = learningRate / (1 + epoch * 0.1);
            for (Example e : order) {
                model.probabilities(e.features(), p);
                int[] idx = e.features().index();
                float[] val = e.features().value();
                for (int c = 0; c < classes; c++) {
                    double g = p[c] - (c == e.label() ? 1 : 0);
                    float[] wc = w[c];
                    for (int i = 0; i < idx.length; i++) {
                        wc[idx[i]] -= (float) (lr * (g * val[i] + l2 * wc[idx[i]]));
                    }
                }
            }
        }
        return model;
    }

    public int classes() {
        return weights.length;
    }

    /** Class probabilities for one vector. */
    public double[] probabilities(HashedFeatures.Vector x) {
        double[] p = new double[weights.length];
        probabilities(x, p);
        return p;
    }

    private void probabilities(HashedFeatures.Vector x, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < weights.length; c++) {
            double z = 0;
            float[] wc = weights[c];
            int[] idx = x.index();
            float[] val = x.value();
            for (int i = 0; i < idx.length; i++) {
                z += wc[idx[i]] * val[i];
            }
            out[c] = z;
            max = Math.max(max, z);
        }
        double sum = 0;
        for (int c = 0; c < out.length; c++) {
            out[c] = Math.exp(out[c] - max);
            sum += out[c];
        }
        for (int c = 0; c < out.length; c++) {
            out[c] /= sum;
        }
    }

    /** The most probable class. */
    public int predict(HashedFeatures.Vector x) {
        double[] p = probabilities(x);
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        return best;
    }
}
