package org.rlhf4j.host.filter;

import java.util.Arrays;

/**
 * An open-addressing table from 64-bit keys to counts, cleared and reused between texts, so the
 * repetition rules count n-grams without boxing. Key 0 is remapped (it marks empty slots). The table
 * uses only the part of its arrays a text needs, so a short text after a long one clears little.
 */
final class LongCounter {

    private long[] keys = new long[1024];
    private int[] counts = new int[1024];
    /** Slots in use: a power of two, at most the arrays' length; everything past it is empty. */
    private int capacity = 16;
    private int size;

    /** Empties the table, sized for about {@code expected} keys. */
    void clear(int expected) {
        Arrays.fill(keys, 0, capacity, 0L);
        capacity = Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1;
        if (capacity > keys.length) {
            keys = new long[capacity];
            counts = new int[capacity];
        }
        size = 0;
    }

    /** Adds one to {@code key}'s count and returns the new count. */
    int increment(long key) {
        long k = key == 0 ? 0x9E3779B97F4A7C15L : key;
        int mask = capacity - 1;
        int i = (int) (k ^ (k >>> 32)) & mask;
        while (true) {
            long at = keys[i];
            if (at == 0) {
                keys[i] = k;
                counts[i] = 1;
                if (++size * 2 > capacity) {
                    grow();
                }
                return 1;
            }
            if (at == k) {
                return ++counts[i];
            }
            i = (i + 1) & mask;
        }
    }

    /** The count of {@code key}, 0 when absent. */
    int count(long key) {
        long k = key == 0 ? 0x9E3779B97F4A7C15L : key;
        int mask = capacity - 1;
        for (int i = (int) (k ^ (k >>> 32)) & mask; ; i = (i + 1) & mask) {
            long at = keys[i];
            if (at == k) {
                return counts[i];
            }
            if (at == 0) {
                return 0;
            }
        }
    }

    private void grow() {
        long[] oldKeys = Arrays.copyOf(keys, capacity);
        int[] oldCounts = Arrays.copyOf(counts, capacity);
        Arrays.fill(keys, 0, capacity, 0L);
        capacity *= 2;
        if (capacity > keys.length) {
            keys = new long[capacity];
            counts = new int[capacity];
        }
        int mask = capacity - 1;
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
