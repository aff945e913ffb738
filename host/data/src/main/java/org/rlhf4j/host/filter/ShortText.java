package org.rlhf4j.host.filter;

import org.rlhf4j.host.text.RecordText;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import org.pf4j.Extension;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.data.FilterDecision;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.data.RecordFilter;

/**
 * Drops the junk short texts the web and early models produce ("ok", "哈哈哈哈哈哈", "!!!", "click here"):
 * fewer than {@code min-words} words (Chinese characters count as words), or, in texts of at most
 * {@code repeat-max-words} words, one word making up more than {@code max-repeat-share} of them.
 */
@Extension
@ExtensionName("short-text")
public final class ShortText implements RecordFilter {

    record ShortTextSettings(int minWords, int repeatMaxWords, double maxRepeatShare) {
        static ShortTextSettings from(Config c) {
            return new ShortTextSettings(c.getInt("min-words"), c.getInt("repeat-max-words"), c.getDouble("max-repeat-share"));
        }
    }

    private final ShortTextSettings s;

    @Inject
    public ShortText(@Settings Config settings) {
        this.s = ShortTextSettings.from(settings);
    }

    private static final ThreadLocal<LongCounter> COUNTS = ThreadLocal.withInitial(LongCounter::new);

    @Override
    public FilterDecision apply(Record record) {
        Tokens t = Tokens.of(RecordText.of(record));
        LongCounter counts = COUNTS.get();
        counts.clear(Math.min(t.count, s.repeatMaxWords()));
        int real = 0;
        int top = 0;
        for (int i = 0; i < t.count; i++) {
            if (t.isWord(i)) {
                real++;
                if (real <= s.repeatMaxWords()) {
                    top = Math.max(top, counts.increment(t.lowerHash[i]));
                }
            }
        }
        if (real < s.minWords()) {
            return FilterDecision.drop(record, "short-text: " + real + " words < " + s.minWords());
        }
        if (real <= s.repeatMaxWords() && (double) top / real > s.maxRepeatShare()) {
            return FilterDecision.drop(record, String.format("short-repetitive-text: one word is %.0f%% of %d", 100.0 * top / real, real));
        }
        return FilterDecision.keep(record);
    }
}
