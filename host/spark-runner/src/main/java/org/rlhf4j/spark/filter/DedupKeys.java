package org.rlhf4j.spark.filter;

import com.typesafe.config.Config;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.data.RecordFilter;
import org.rlhf4j.host.filter.ExactDedup;
import org.rlhf4j.host.filter.MinHashDedup;
import org.rlhf4j.host.text.MinHasher;
import org.rlhf4j.host.text.RecordText;
import org.rlhf4j.host.text.TextNormalizer;

/**
 * The keys by which an indexing filter's records can affect one another: two records can only interact in
 * the filter's index when they share a key, so the connected components of "shares a key" split the corpus
 * into groups that the filter decides independently. For {@code minhash-dedup} the keys are its LSH buckets
 * (band number and band hash, from the same {@link MinHasher} and settings); for {@code exact-dedup} its
 * normalised text (or paragraph, or meta field) hashes. Any other indexing filter has no keys: its records
 * form one group.
 */
abstract class DedupKeys implements Serializable {

    /** The keys of a record; empty when it shares a bucket with nothing. */
    abstract long[] of(Record r);

    /** The keys for {@code filter} configured by {@code settings} (its config block), or null: one group. */
    static DedupKeys of(RecordFilter filter, Config settings) {
        if (filter instanceof MinHashDedup) {
            return new MinHashKeys(settings.getInt("bands"), settings.getInt("rows"), settings.getInt("ngram"),
                    settings.getInt("char-ngram"), settings.getString("tokens"), settings.getDouble("cjk-threshold"),
                    settings.getLong("seed"));
        }
        if (filter instanceof ExactDedup) {
            return new ExactKeys(settings.getString("key"), settings.getString("unit").equals("paragraph"),
                    settings.getBoolean("normalize"));
        }
        return null;
    }

    /** The LSH buckets of minhash-dedup: one key per band, the band number mixed in. */
    static final class MinHashKeys extends DedupKeys {
        private final int bands;
        private final int rows;
        private final int ngram;
        private final int charNgram;
        private final String tokens;
        private final double cjkThreshold;
        private final long seed;
        private transient MinHasher hasher;

        MinHashKeys(int bands, int rows, int ngram, int charNgram, String tokens, double cjkThreshold, long seed) {
            this.bands = bands;
            this.rows = rows;
            this.ngram = ngram;
            this.charNgram = charNgram;
            this.tokens = tokens;
            this.cjkThreshold = cjkThreshold;
            this.seed = seed;
        }

        @Override
        long[] of(Record r) {
            if (hasher == null) {
                hasher = new MinHasher(bands, rows, ngram, charNgram, MinHasher.Tokens.valueOf(tokens.toUpperCase(Locale.ROOT)),
                        cjkThreshold, seed);
            }
            long[] keys = hasher.bandKeys(hasher.shingles(RecordText.of(r)));
            if (keys == null) {
                return new long[0];
            }
            long[] out = new long[keys.length];
            for (int b = 0; b < keys.length; b++) {
                out[b] = TextNormalizer.mix(keys[b] + 0x9E3779B97F4A7C15L * (b + 1));
            }
            return out;
        }
    }

    /** The hashes exact-dedup indexes: the record's key, or each of its paragraphs. */
    static final class ExactKeys extends DedupKeys {
        private final String key;
        private final boolean paragraphs;
        private final boolean normalize;

        ExactKeys(String key, boolean paragraphs, boolean normalize) {
            this.key = key;
            this.paragraphs = paragraphs;
            this.normalize = normalize;
        }

        @Override
        long[] of(Record r) {
            if (key.startsWith("meta.")) {
                String v = r.meta().get(key.substring(5));
                return v == null || v.isEmpty() ? new long[0] : new long[] {TextNormalizer.hash64(v)};
            }
            String text = RecordText.of(r);
            List<Long> out = new ArrayList<>();
            for (String part : paragraphs ? text.split("\n") : new String[] {text}) {
                String k = normalize ? TextNormalizer.forDedup(part) : part;
                if (!k.isBlank()) {
                    out.add(TextNormalizer.hash64(k));
                }
            }
            return out.stream().mapToLong(Long::longValue).toArray();
        }
    }
}
