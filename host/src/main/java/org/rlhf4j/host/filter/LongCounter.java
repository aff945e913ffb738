package org.rlhf4j.host.filter;

import java.util.Arrays;

/**
 * An open-addressing table from 64-bit keys to counts, cleared and reused between texts, so the
 * repetition rules count n-grams without boxing. Key 0 is remapped (it marks empty slots).
 */
final class LongCounter {

    private long[] keys = new long[1024];
    private int[] counts = new int[1024];
    private int size;

    /** Empties the table, shrinking nothing, sized for about {@code expected} keys. */
    void clear(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1;
        if (cap > keys.length) {
            keys = new long[cap];
            counts = new int[cap];
        } else {
            Arrays.fill(keys, 0L);
        }
        size = 0;
    }

    /** Adds one to {@code key}'s count and returns the new count. */
    int increment(long key) {
        long k = key == 0 ? 0x9E3779B97F4A7C15L : key;
        int mask = keys.length - 1;
        int i = (int) (k ^ (k >>> 32)) & mask;
        while (true) {
            if (keys[i] == 0) {
                keys[i] = k;
                counts[i] = 1;
                if (++size * 2 > keys.length) {
                    grow();
                }
                return 1;
            }
            if (keys[i] == k) {
                return ++counts[i];
            }
            i = (i + 1) & mask;
        }
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldCounts = counts;
        keys = new long[oldKeys.length * 2];
        counts = new int[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            long k = oldKeys[j];
            if (k != 0) {
                int i = (int) (k ^ (k >>> 32)) & mask;
                while (keys[i] != 0) {
                    i = (i + 1) & mask;
                }
                keys[i] = k;
                counts[i] = oldCounts[j];
            }
        }
    }
}
