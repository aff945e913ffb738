package org.rlhf4j.host.filter;

import org.rlhf4j.host.text.RecordText;

import com.github.pemistahl.lingua.api.IsoCode639_1;
import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetector;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;
import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.pf4j.Extension;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.data.FilterDecision;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.data.RecordFilter;
import org.rlhf4j.host.report.ReportContributor;

/**
 * Target-language filter: identifies a record's language with Lingua (its n-gram models ship inside
 * the jar, nothing is downloaded), among the {@code candidates} languages, and keeps records whose
 * language is in {@code keep} with a confidence of at least {@code min-score} (datatrove's
 * LanguageFilter keeps English above 0.65 with fastText; Lingua's confidences are spread over the
 * candidates, so the default here is lower). Kept records get {@code meta.lang} and {@code meta.lang-score}.
 * Only the first {@code max-chars} characters are read, which bounds the cost per record. With
 * {@code script-rules}, text whose script decides alone (kana: Japanese; Han only: Chinese; Hangul: Korean)
 * is labelled without running the n-gram models, as Lingua's own rule step would. Plain Latin-script text
 * long enough for Lingua's trigram-only path gets Lingua's answer from {@link LatinTrigrams} (same models and
 * arithmetic, arrays instead of string maps); everything else goes to Lingua itself. More
 * candidates than kept languages make rejections sharper: Japanese is a candidate so that Japanese text
 * (which shares Han characters with Chinese) is not taken for Chinese.
 */
@Extension
@ExtensionName("language")
public final class LanguageFilter implements RecordFilter, ReportContributor {

    private static final Map<String, LanguageDetector> DETECTORS = new ConcurrentHashMap<>();
    private static final Map<List<String>, LatinTrigrams> LATIN = new ConcurrentHashMap<>();

    record LanguageSettings(Set<String> keep, List<String> candidates, double minScore, int maxChars, boolean lowAccuracy,
                            boolean scriptRules) {
        static LanguageSettings from(Config c) {
            List<String> candidates = c.getStringList("candidates");
            Set<String> keep = Set.copyOf(c.getStringList("keep"));
            for (String l : candidates) {
                iso(c, "candidates", l);
            }
            if (candidates.size() < 2) {
                throw new ConfigProblem(c, "candidates", "needs at least two languages to tell apart");
            }
            for (String l : keep) {
                if (!candidates.contains(l)) {
                    throw new ConfigProblem(c, "keep", "'" + l + "' is not one of the candidates " + candidates);
                }
            }
            String mode = c.getString("accuracy");
            if (!mode.equals("low") && !mode.equals("high")) {
                throw new ConfigProblem(c, "accuracy", "must be low or high, got '" + mode + "'");
            }
            return new LanguageSettings(keep, candidates, c.getDouble("min-score"), c.getInt("max-chars"), mode.equals("low"),
                    c.getBoolean("script-rules"));
        }
    }

    private final LanguageSettings s;
    private final Map<String, LongAdder> seen = new ConcurrentHashMap<>();

    @Inject
    public LanguageFilter(@Settings Config settings) {
        this.s = LanguageSettings.from(settings);
    }

    /** The detected language (ISO 639-1, or {@code unknown}) and its confidence. */
    public record Detection(String language, double score) {
    }

    /** Detects the language of a text among the candidates. */
    public Detection detect(String text) {
        String sample = text.length() > s.maxChars() ? text.substring(0, s.maxChars()) : text;
        if (s.scriptRules()) {
            Detection byScript = byScript(sample);
            if (byScript != null) {
                return byScript;
            }
        }
        Detection latin = LATIN.computeIfAbsent(s.candidates(), LatinTrigrams::load).detect(sample);
        if (latin != null) {
            return latin;
        }
        return byLingua(sample);
    }

    /** Lingua's own answer for a sample. */
    Detection byLingua(String sample) {
        SortedMap<Language, Double> values = detector().computeLanguageConfidenceValues(sample);
        if (values.isEmpty()) {
            return new Detection("unknown", 0);
        }
        Map.Entry<Language, Double> best = null;
        for (Map.Entry<Language, Double> e : values.entrySet()) {
            if (best == null || e.getValue() > best.getValue()) {
                best = e;
            }
        }
        if (best.getKey() == Language.UNKNOWN) {
            return new Detection("unknown", 0);
        }
        return new Detection(best.getKey().getIsoCode639_1().name().toLowerCase(Locale.ROOT), best.getValue());
    }

    /**
     * The script rule Lingua applies first, done without its per-word machinery: letters in kana mean
     * Japanese; letters that are nearly all Han ideographs (no kana) mean Chinese; nearly all Hangul mean
     * Korean; the share is the score. Null when the scripts leave the choice to the model.
     */
    private Detection byScript(String sample) {
        int letters = 0;
        int han = 0;
        int kana = 0;
        int hangul = 0;
        for (int i = 0; i < sample.length(); i++) {
            char c = sample.charAt(i);
            if (c < 0x3040) {
                if (c < 0x80 ? (c | 0x20) >= 'a' && (c | 0x20) <= 'z' : Character.isLetter(c)) {
                    letters++;
                }
                continue;
            }
            if (!Character.isLetter(c)) {
                continue;
            }
            letters++;
            if (c <= 0x30FF) {
                kana++;
            } else if (c >= 0x4E00 && c <= 0x9FFF || c >= 0x3400 && c <= 0x4DBF || c >= 0xF900 && c <= 0xFAFF) {
                han++;
            } else if (c >= 0xAC00 && c <= 0xD7AF) {
                hangul++;
            }
        }
        if (letters < 10) {
            return null;
        }
        if (kana > 0 && kana * 50 >= letters && s.candidates().contains("ja")) {
            return new Detection("ja", (double) (kana + han) / letters);
        }
        if (kana == 0 && han >= 0.9 * letters && s.candidates().contains("zh")) {
            return new Detection("zh", (double) han / letters);
        }
        if (hangul >= 0.9 * letters && s.candidates().contains("ko")) {
            return new Detection("ko", (double) hangul / letters);
        }
        return null;
    }

    @Override
    public FilterDecision apply(Record record) {
        Detection d = detect(RecordText.of(record));
        seen.computeIfAbsent(d.language(), k -> new LongAdder()).increment();
        if (!s.keep().contains(d.language())) {
            return FilterDecision.drop(record, "language: " + d.language() + " is not one of " + keepList());
        }
        if (d.score() < s.minScore()) {
            return FilterDecision.drop(record, String.format("language-low-score: %s at %.2f < %s", d.language(), d.score(), s.minScore()));
        }
        Map<String, String> meta = new java.util.HashMap<>(record.meta());
        meta.put("lang", d.language());
        // Lingua's best language always scores 1: spare String.format the common case
        meta.put("lang-score", d.score() == 1.0 ? "1.000" : String.format(Locale.ROOT, "%.3f", d.score()));
        return FilterDecision.keep(new Record(record.id(), record.kind(), record.text(), record.messages(), record.answers(), meta,
                record.provenance()));
    }

    private String keepList() {
        return String.join(", ", new java.util.TreeSet<>(s.keep()));
    }

    private LanguageDetector detector() {
        String key = String.join(",", s.candidates()) + (s.lowAccuracy() ? ":low" : ":high");
        return DETECTORS.computeIfAbsent(key, k -> {
            List<IsoCode639_1> codes = new ArrayList<>();
            for (String l : s.candidates()) {
                codes.add(IsoCode639_1.valueOf(l.toUpperCase(Locale.ROOT)));
            }
            LanguageDetectorBuilder b = LanguageDetectorBuilder.fromIsoCodes639_1(codes.toArray(IsoCode639_1[]::new));
            return (s.lowAccuracy() ? b.withLowAccuracyMode() : b).build();
        });
    }

    private static void iso(Config c, String key, String code) {
        try {
            IsoCode639_1.valueOf(code.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigProblem(c, key, "'" + code + "' is not an ISO 639-1 language code Lingua knows");
        }
    }

    @Override
    public Map<String, Object> report() {
        Map<String, Object> detected = new TreeMap<>();
        seen.forEach((k, v) -> detected.put(k, v.sum()));
        return Map.of("detected", detected, "keep", keepList());
    }
}
