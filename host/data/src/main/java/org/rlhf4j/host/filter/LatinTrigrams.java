package org.rlhf4j.host.filter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetector;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Lingua's decision for plain Latin-script text, computed with arrays instead of Lingua's string-keyed
 * maps: the same models (the n-gram JSON files inside Lingua's jar), the same arithmetic, about a hundred
 * times less work per text. Used only where Lingua (1.2) itself takes its trigram-only path and its rule
 * steps cannot decide, which {@link #detect} checks on every text, and otherwise answers null so the caller
 * asks Lingua:
 * <ul>
 *   <li>Lingua cleans the text (trim, lower case, drop {@code \p{P}} and {@code \p{N}}, collapse {@code \s+});
 *   here every character must be an ASCII letter or space, punctuation, a number or a symbol, so the cleaned
 *   text holds {@code [a-z]}, spaces and symbols (which are in no script and end trigrams);</li>
 *   <li>a cleaned text of 120 characters or more is scored on its distinct letter trigrams alone (Lingua's
 *   HIGH_ACCURACY_MODE_MAX_TEXT_LENGTH; low-accuracy mode does the same), each by its trigram's relative
 *   frequency in a language, else its first two letters', else its first letter's, summed as float
 *   logarithms;</li>
 *   <li>for such words Lingua's rules leave exactly the candidates written in Latin script, provided one word is
 *   all letters (no letter is unique to a language or in its character-to-language table, which hold only
 *   accented letters, and a word with a symbol counts for no script);</li>
 *   <li>the best sum wins with a confidence of 1 (Lingua 1.2 reports each language's confidence as the best
 *   sum over its own). Lingua adds in hash-set order, this class in text order: float sums may differ in the
 *   last bits, so a best and second-best closer than that rounding could move are left to Lingua.</li>
 * </ul>
 * LanguageFilterTest checks the decisions against Lingua's on Leipzig sentences.
 */
final class LatinTrigrams {

    private static final int LETTERS = 26;
    private static final int TRIGRAMS = LETTERS * LETTERS * LETTERS;
    /** Stands for a symbol in the cleaned text. */
    private static final char SYMBOL = '\u0001';
    /** Lingua's HIGH_ACCURACY_MODE_MAX_TEXT_LENGTH: shorter cleaned texts are scored on 1- to 5-grams. */
    static final int MIN_CLEANED_LENGTH = 120;

    /** The candidates written in Latin script, in ISO 639-1 lower case. */
    private final String[] languages;
    /** Per language and trigram index: (float) ln of the probability Lingua would use, NaN where it has none. */
    private final float[][] logProbability;

    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    private LatinTrigrams(String[] languages, float[][] logProbability) {
        this.languages = languages;
        this.logProbability = logProbability;
    }

    /** The tables for the Latin-script languages among {@code candidates} (ISO 639-1), loaded from Lingua's jar. */
    static LatinTrigrams load(List<String> candidates) {
        List<String> latin = new ArrayList<>();
        for (Language l : Language.Companion.allWithLatinScript()) {
            String iso = l.getIsoCode639_1().name().toLowerCase(Locale.ROOT);
            if (candidates.contains(iso)) {
                latin.add(iso);
            }
        }
        float[][] tables = new float[latin.size()][];
        for (int i = 0; i < tables.length; i++) {
            tables[i] = table(latin.get(i));
        }
        return new LatinTrigrams(latin.toArray(String[]::new), tables);
    }

    /**
     * Lingua's language for {@code sample} (ISO 639-1) with its confidence of 1, or null where this class
     * cannot be sure to decide as Lingua does (other characters, a short text, a near tie).
     */
    LanguageFilter.Detection detect(String sample) {
        if (languages.length == 0) {
            return null;
        }
        Scratch s = scratch.get();
        int n = clean(sample, s);
        if (n < MIN_CLEANED_LENGTH) {
            return null;
        }
        float[] sums = s.sums(languages.length);
        int distinct = 0;
        char[] c = s.chars;
        int run = 0;
        boolean pureWord = false;
        boolean wordPure = true;
        int wordLength = 0;
        for (int i = 0; i < n; i++) {
            char ch = c[i];
            if (ch == ' ') {
                pureWord |= wordLength > 0 && wordPure;
                wordLength = 0;
                wordPure = true;
                run = 0;
                continue;
            }
            wordLength++;
            if (ch == SYMBOL) {
                wordPure = false;
                run = 0;
                continue;
            }
            if (++run < 3) {
                continue;
            }
            int t = ((c[i - 2] - 'a') * LETTERS + (c[i - 1] - 'a')) * LETTERS + (ch - 'a');
            if (!s.firstSight(t)) {
                continue; // Lingua scores the set of the text's trigrams: each distinct one once
            }
            distinct++;
            for (int l = 0; l < languages.length; l++) {
                float p = logProbability[l][t];
                if (p == p) {
                    sums[l] += p;
                }
            }
        }
        pureWord |= wordLength > 0 && wordPure;
        s.forget();
        if (!pureWord) {
            return null; // Lingua's rules see no word wholly in Latin script and keep every candidate
        }
        return decide(sums, distinct);
    }

    private LanguageFilter.Detection decide(float[] sums, int terms) {
        int best = -1;
        float top = Float.NEGATIVE_INFINITY;
        float second = Float.NEGATIVE_INFINITY;
        float largest = 0;
        for (int l = 0; l < languages.length; l++) {
            float v = sums[l];
            if (v == 0) {
                return null; // Lingua drops a language none of whose n-grams it knows: leave such texts to it
            }
            largest = Math.max(largest, -v);
            if (v > top) {
                second = top;
                top = v;
                best = l;
            } else if (v > second) {
                second = v;
            }
        }
        // Each of the two float sums of the same terms is within terms * ulp / 2 of the exact sum (the terms are
        // all negative, so partial sums only grow in magnitude): a gap larger than twice that keeps the order.
        if (top - second <= 2.0f * terms * Math.ulp(largest)) {
            return null;
        }
        return new LanguageFilter.Detection(languages[best], 1.0);
    }

    /**
     * Lingua's cleaning of {@code text} into {@code s.chars}; returns the cleaned length, or -1 when a character
     * is outside what this class handles (non-ASCII letters, spaces other than {@code \s}, controls, surrogates).
     */
    private static int clean(String text, Scratch s) {
        int from = 0;
        int to = text.length();
        while (from < to && isSpace(text.charAt(from))) {
            from++;
        }
        while (to > from && isSpace(text.charAt(to - 1))) {
            to--;
        }
        char[] out = s.chars(to - from);
        int n = 0;
        boolean space = false;
        for (int i = from; i < to; i++) {
            char ch = text.charAt(i);
            if (ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z') {
                if (space) {
                    out[n++] = ' ';
                    space = false;
                }
                out[n++] = (char) (ch | 0x20);
            } else if (isSpace(ch)) {
                space = true; // \s+ becomes one space, after punctuation and numbers are gone
            } else if (isSymbol(ch)) {
                if (space) {
                    out[n++] = ' ';
                    space = false;
                }
                out[n++] = SYMBOL; // kept by Lingua: it ends trigrams, and a word holding it is in no script
            } else if (!isPunctuationOrNumber(ch)) {
                return -1;
            }
        }
        return space ? appendSpace(out, n) : n;
    }

    private static int appendSpace(char[] out, int n) {
        out[n] = ' ';
        return n + 1;
    }

    /** A math, currency, modifier or other symbol: in no script, and Lingua's cleaning keeps it. */
    private static boolean isSymbol(char c) {
        int type = Character.getType(c);
        return type == Character.MATH_SYMBOL || type == Character.CURRENCY_SYMBOL || type == Character.MODIFIER_SYMBOL
                || type == Character.OTHER_SYMBOL;
    }

    /** Java regex {@code \s}: space, tab, line feed, vertical tab, form feed, carriage return. */
    private static boolean isSpace(char c) {
        return c == ' ' || c >= '\t' && c <= '\r';
    }

    /** Java regex {@code \p{P}} or {@code \p{N}}, which Lingua removes (not a surrogate: a character on its own). */
    private static boolean isPunctuationOrNumber(char c) {
        switch (Character.getType(c)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                    Character.OTHER_PUNCTUATION, Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER,
                    Character.OTHER_NUMBER -> {
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /** One language's table: for each [a-z] trigram, ln of the first positive of trigram, bigram and unigram frequency. */
    private static float[] table(String iso) {
        float[] uni = frequencies(iso, "unigrams", 1);
        float[] bi = frequencies(iso, "bigrams", 2);
        float[] tri = frequencies(iso, "trigrams", 3);
        float[] log = new float[TRIGRAMS];
        for (int t = 0; t < TRIGRAMS; t++) {
            float p = tri[t] > 0 ? tri[t] : bi[t / LETTERS] > 0 ? bi[t / LETTERS] : uni[t / (LETTERS * LETTERS)];
            log[t] = p > 0 ? (float) Math.log(p) : Float.NaN;
        }
        return log;
    }

    /**
     * The relative frequencies of one model file, indexed by n-gram ({@code [a-z]} n-grams only), computed as Lingua
     * does: {@code Float.parseFloat(numerator) / (float) Integer.parseInt(denominator)}, later entries winning.
     */
    private static float[] frequencies(String iso, String name, int length) {
        float[] f = new float[(int) Math.pow(LETTERS, length)];
        String path = "/language-models/" + iso + "/" + name + ".json";
        try (InputStream in = LanguageDetector.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Lingua's model " + path + " is missing from its jar");
            }
            JsonParser p = new JsonFactory().createParser(in);
            while (p.nextToken() != null) {
                if (p.currentToken() == JsonToken.FIELD_NAME && "ngrams".equals(p.currentName())) {
                    p.nextToken();
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String fraction = p.currentName();
                        int slash = fraction.indexOf('/');
                        float value = Float.parseFloat(fraction.substring(0, slash)) / (float) Integer.parseInt(fraction.substring(slash + 1));
                        p.nextToken();
                        for (String ngram : p.getText().split(" ")) {
                            int index = index(ngram, length);
                            if (index >= 0) {
                                f[index] = value;
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading Lingua's model " + path, e);
        }
        return f;
    }

    private static int index(String ngram, int length) {
        if (ngram.length() != length) {
            return -1;
        }
        int index = 0;
        for (int i = 0; i < length; i++) {
            char c = ngram.charAt(i);
            if (c < 'a' || c > 'z') {
                return -1;
            }
            index = index * LETTERS + (c - 'a');
        }
        return index;
    }

    /** Per-thread buffers: the cleaned text, the sums, and the trigrams seen in the current text. */
    private static final class Scratch {
        char[] chars = new char[256];
        float[] sums = new float[8];
        final long[] seen = new long[(TRIGRAMS + 63) / 64];
        int[] marked = new int[256];
        int marks;

        char[] chars(int n) {
            if (chars.length < n + 1) {
                chars = new char[n + 1];
            }
            return chars;
        }

        float[] sums(int n) {
            if (sums.length < n) {
                sums = new float[n];
            }
            Arrays.fill(sums, 0, n, 0f);
            return sums;
        }

        /** True the first time {@code t} comes in the current text. */
        boolean firstSight(int t) {
            long bit = 1L << t;
            if ((seen[t >>> 6] & bit) != 0) {
                return false;
            }
            seen[t >>> 6] |= bit;
            if (marks == marked.length) {
                marked = Arrays.copyOf(marked, marks * 2);
            }
            marked[marks++] = t;
            return true;
        }

        void forget() {
            for (int i = 0; i < marks; i++) {
                seen[marked[i] >>> 6] = 0;
            }
            marks = 0;
        }
    }
}
