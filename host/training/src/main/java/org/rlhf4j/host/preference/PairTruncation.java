package org.rlhf4j.host.preference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rlhf4j.host.reward.PreferenceData;

/**
 * Cuts pairs longer than {@code max-length} tokens as TRL's DPOTrainer does (truncation_mode keep_end): the
 * prompt first, keeping its last {@code prompt-share x max-length} tokens (the turn the answer replies to),
 * then the answers, keeping their first tokens. A pair that fits is left as it is.
 * <pre>
 *   if |x| + max(|y_c|, |y_r|) > L:  x <- last min(|x|, floor(share L)) tokens of x;  y <- first L - |x| tokens of y
 * </pre>
 */
final class PairTruncation {

    /**
     * The groups with every pair fitted to {@code maxLength}; pairs whose two answers became the same ids are
     * dropped (they teach nothing), and groups left empty with them.
     *
     * @param truncated pairs that were cut
     * @param dropped cut pairs dropped because chosen and rejected became identical
     */
    record Result(List<PreferenceData.Group> groups, int truncated, int dropped) {
    }

    private PairTruncation() {
    }

    static Result fit(List<PreferenceData.Group> groups, int maxLength, double promptShare) {
        int keepPrompt = Math.max(1, (int) Math.floor(promptShare * maxLength));
        int truncated = 0;
        int dropped = 0;
        List<PreferenceData.Group> out = new ArrayList<>(groups.size());
        for (PreferenceData.Group g : groups) {
            List<PreferenceData.Pair> pairs = new ArrayList<>(g.pairs().size());
            for (PreferenceData.Pair p : g.pairs()) {
                if (Math.max(p.chosen().length, p.rejected().length) <= maxLength) {
                    pairs.add(p);
                    continue;
                }
                truncated++;
                int prompt = Math.min(p.promptLength(), keepPrompt);
                int room = maxLength - prompt;
                int[] chosen = cut(p.chosen(), p.promptLength(), prompt, room);
                int[] rejected = cut(p.rejected(), p.promptLength(), prompt, room);
                if (Arrays.equals(chosen, rejected)) {
                    dropped++;
                    continue;
                }
                pairs.add(new PreferenceData.Pair(chosen, rejected, p.chosenSafe(), p.rejectedSafe(), p.source(), prompt));
            }
            if (!pairs.isEmpty()) {
                out.add(new PreferenceData.Group(g.key(), List.copyOf(pairs)));
            }
        }
        return new Result(out, truncated, dropped);
    }

    /** The last {@code keep} prompt ids of {@code ids} (whose prompt is {@code promptLength} long), then at most {@code room} answer ids. */
    private static int[] cut(int[] ids, int promptLength, int keep, int room) {
        int answer = Math.min(ids.length - promptLength, room);
        int[] out = new int[keep + answer];
        System.arraycopy(ids, promptLength - keep, out, 0, keep);
        System.arraycopy(ids, promptLength, out, keep, answer);
        return out;
    }
}
