package org.rlhf4j.host.evaluate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rlhf4j.api.data.Message;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.model.Generator;
import org.rlhf4j.host.model.HfCheckpoint;
import org.rlhf4j.host.model.tokenizer.ChatTemplate;
import org.rlhf4j.host.trainer.Batch;
import org.rlhf4j.host.trainer.ConversationBatches;
import org.rlhf4j.host.trainer.Trainer;

/**
 * What a language-model checkpoint gives on the evaluation set: its perplexity per category and its
 * answers. Perplexity is measured on the reference answers where the set has them (the tokens SFT trains
 * on) and on the whole rendered prompt where it does not; answers are sampled with seeds that depend only
 * on the batch, so two models answer under the same random draws (and a model against itself ties).
 */
final class LanguageModelOutputs {

    /** One sampled answer: its text (without the stop token), whether it stopped, and its length in tokens. */
    record Answer(String text, boolean stopped, int tokens) {
    }

    /** Negative log-likelihood summed over counted tokens, and what it was measured on. */
    record Perplexity(double nll, long tokens, int onReferences, int onPrompts) {
        double value() {
            return tokens == 0 ? Double.NaN : Math.exp(nll / tokens);
        }

        String measuredOn() {
            return onPrompts == 0 ? "reference answers" : onReferences == 0 ? "prompts" : "reference answers and prompts";
        }

        Perplexity plus(Perplexity o) {
            return new Perplexity(nll + o.nll, tokens + o.tokens, onReferences + o.onReferences, onPrompts + o.onPrompts);
        }
    }

    private LanguageModelOutputs() {
    }

    /** Perplexity per category, categories in the order they first appear. */
    static Map<String, Perplexity> perplexity(HfCheckpoint.Loaded m, ChatTemplate template, List<EvalSet.Item> items,
                                              int batchSize, String stage) {
        Map<String, List<ChatTemplate.Encoded>> byCategory = new LinkedHashMap<>();
        Map<String, int[]> kinds = new LinkedHashMap<>();
        for (EvalSet.Item item : items) {
            ChatTemplate.Encoded e;
            if (item.reference() != null) {
                List<Message> conversation = new ArrayList<>(item.messages());
                conversation.add(Message.assistant(item.reference()));
                e = encode(m, template, conversation, item, stage);
            } else {
                ChatTemplate.Encoded prompt = encode(m, template, item.messages(), item, stage);
                boolean[] all = new boolean[prompt.ids().length];
                Arrays.fill(all, true);
                e = new ChatTemplate.Encoded(prompt.ids(), all);
            }
            byCategory.computeIfAbsent(item.category(), k -> new ArrayList<>()).add(e);
            kinds.computeIfAbsent(item.category(), k -> new int[2])[item.reference() != null ? 0 : 1]++;
        }
        Map<String, Perplexity> out = new LinkedHashMap<>();
        int context = m.model().config().context();
        for (Map.Entry<String, List<ChatTemplate.Encoded>> e : byCategory.entrySet()) {
            double nll = 0;
            long tokens = 0;
            for (Batch b : new ConversationBatches(e.getValue(), batchSize, context, m.tokenizer().eosId()).all()) {
                long n = b.countedTokens();
                if (n > 0) {
                    nll += Trainer.validationLoss(m.model(), List.of(b)) * n;
                    tokens += n;
                }
            }
            int[] k = kinds.get(e.getKey());
            out.put(e.getKey(), new Perplexity(nll, tokens, k[0], k[1]));
        }
        return out;
    }

    /** One answer per item, in order, sampled in batches of {@code batchSize} with seed {@code seed + first index}. */
    static List<Answer> answers(HfCheckpoint.Loaded m, ChatTemplate template, List<EvalSet.Item> items,
                                Generator.Settings settings, int batchSize, long seed, String stage) {
        Generator generator = new Generator(m.model(), m.tokenizer(), settings);
        int context = m.model().config().context();
        List<Answer> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i += batchSize) {
            List<EvalSet.Item> chunk = items.subList(i, Math.min(items.size(), i + batchSize));
            List<int[]> prompts = new ArrayList<>();
            for (EvalSet.Item item : chunk) {
                int[] ids = encodePrompt(m, template, item, stage);
                if (ids.length + 1 > context) {
                    throw new StageFailure("stage " + stage + ": prompt " + item.id() + " (" + item.where() + ") is " + ids.length
                            + " tokens, leaving no room for an answer in the model's context of " + context);
                }
                prompts.add(ids);
            }
            Generator.Generation g = generator.generate(prompts, seed + i, true);
            for (int b = 0; b < chunk.size(); b++) {
                int[] response = g.response(b);
                int keep = g.stopped()[b] ? response.length - 1 : response.length;
                out.add(new Answer(m.tokenizer().decode(Arrays.copyOf(response, Math.max(0, keep))), g.stopped()[b], keep));
            }
        }
        return out;
    }

    private static ChatTemplate.Encoded encode(HfCheckpoint.Loaded m, ChatTemplate template, List<Message> conversation,
                                               EvalSet.Item item, String stage) {
        try {
            return template.encode(m.tokenizer(), conversation);
        } catch (IllegalArgumentException e) {
            throw new StageFailure("stage " + stage + ": prompt " + item.id() + " (" + item.where() + ") cannot be encoded: "
                    + e.getMessage(), e);
        }
    }

    private static int[] encodePrompt(HfCheckpoint.Loaded m, ChatTemplate template, EvalSet.Item item, String stage) {
        try {
            return template.encodePrompt(m.tokenizer(), item.messages());
        } catch (IllegalArgumentException e) {
            throw new StageFailure("stage " + stage + ": prompt " + item.id() + " (" + item.where() + ") cannot be encoded: "
                    + e.getMessage(), e);
        }
    }
}
