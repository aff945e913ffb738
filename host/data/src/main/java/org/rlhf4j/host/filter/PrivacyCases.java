package org.rlhf4j.host.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.data.RecordFilter;

/**
 * The labelled privacy cases shipped with the filters, and their score: per family, how many positives the filter
 * caught and how many negatives it touched. A test holds the filters to the target (every non-optional positive
 * caught, no negative touched) and {@code rlhf bench data} prints the same table.
 *
 * <p>The cases live in {@code privacy-cases/*.jsonl} beside this class, one JSON object per line:
 * {@code filter} ({@code pii} or {@code code-secrets}), {@code family} (the detector's name, e.g. {@code phone}),
 * {@code text}, {@code found} (the substrings the filter must redact, in order; empty for a negative), {@code tag}
 * (what replaces each of them), optionally {@code optional} (a positive the target does not require) and
 * {@code source} (where the format or the case comes from; the folder's SOURCES.md says more). A positive is caught
 * when the filter's output is exactly the text with each {@code found} replaced by {@code tag}; a negative is
 * touched when the output differs from the text at all.
 */
public final class PrivacyCases {

    /** The files of cases, in the folder {@code privacy-cases} beside this class. */
    public static final List<String> FILES = List.of("pii.jsonl", "secrets.jsonl");

    private PrivacyCases() {
    }

    /** One labelled case; {@code where} is its file and line. */
    public record Case(String filter, String family, String text, List<String> found, String tag, boolean optional,
                       String source, String where) {

        public boolean positive() {
            return !found.isEmpty();
        }

        /** The text as the filter should leave it. */
        public String expected() {
            StringBuilder b = new StringBuilder();
            int at = 0;
            for (String f : found) {
                int i = text.indexOf(f, at);
                if (i < 0) {
                    throw new IllegalStateException(where + ": '" + f + "' is not in the text after position " + at);
                }
                b.append(text, at, i).append(tag);
                at = i + f.length();
            }
            return b.append(text.substring(at)).toString();
        }
    }

    /**
     * One family's figures: {@code missed} counts required positives not caught, {@code optionalMissed} the optional
     * ones; {@code failures} names each case missed or touched, with what the filter wrote.
     */
    public record Score(String filter, String family, int positives, int caught, int missed, int optionalMissed,
                        int negatives, int touched, List<String> failures) {

        /** Caught positives over all positives (1 when there are none). */
        public double recall() {
            return positives == 0 ? 1 : (double) caught / positives;
        }

        /** The target: every required positive caught and no negative touched. */
        public boolean meetsTarget() {
            return missed == 0 && touched == 0;
        }
    }

    /** Every shipped case, file by file. */
    public static List<Case> load() {
        List<Case> cases = new ArrayList<>();
        for (String file : FILES) {
            try (InputStream in = PrivacyCases.class.getResourceAsStream("privacy-cases/" + file)) {
                if (in == null) {
                    continue;
                }
                cases.addAll(parse(in, "privacy-cases/" + file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return cases;
    }

    static List<Case> parse(InputStream in, String name) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Case> cases = new ArrayList<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        int line = 0;
        for (String s; (s = r.readLine()) != null; ) {
            line++;
            if (s.isBlank()) {
                continue;
            }
            String where = name + ":" + line;
            JsonNode n;
            try {
                n = json.readTree(s);
            } catch (IOException e) {
                throw new IllegalStateException(where + ": not a JSON object: " + e.getMessage());
            }
            List<String> found = new ArrayList<>();
            n.path("found").forEach(f -> found.add(f.asText()));
            for (String field : List.of("filter", "family", "text")) {
                if (!n.path(field).isTextual()) {
                    throw new IllegalStateException(where + ": field '" + field + "' must be a string");
                }
            }
            if (!found.isEmpty() && !n.path("tag").isTextual()) {
                throw new IllegalStateException(where + ": a positive case needs its 'tag'");
            }
            cases.add(new Case(n.get("filter").asText(), n.get("family").asText(), n.get("text").asText(), List.copyOf(found),
                    n.path("tag").asText(""), n.path("optional").asBoolean(false), n.path("source").asText(""), where));
        }
        return cases;
    }

    /** Scores {@code cases} against the filters by name ({@code pii}, {@code code-secrets}); keys are filter/family. */
    public static Map<String, Score> score(List<Case> cases, Map<String, ? extends RecordFilter> filters) {
        Map<String, Tally> tallies = new TreeMap<>();
        for (Case c : cases) {
            RecordFilter f = filters.get(c.filter());
            if (f == null) {
                throw new IllegalArgumentException(c.where() + ": no filter '" + c.filter() + "' given; given: " + filters.keySet());
            }
            String out = f.apply(Record.document(c.where(), c.text(), Map.of(), null)).record().text();
            Tally t = tallies.computeIfAbsent(c.filter() + "/" + c.family(), k -> new Tally(c.filter(), c.family()));
            if (c.positive()) {
                t.positives++;
                if (out.equals(c.expected())) {
                    t.caught++;
                } else if (c.optional()) {
                    t.optionalMissed++;
                } else {
                    t.missed++;
                    t.failures.add(c.where() + " missed: " + c.text() + " -> " + out);
                }
            } else {
                t.negatives++;
                if (!out.equals(c.text())) {
                    t.touched++;
                    t.failures.add(c.where() + " touched: " + c.text() + " -> " + out);
                }
            }
        }
        Map<String, Score> scores = new TreeMap<>();
        tallies.forEach((k, t) -> scores.put(k, new Score(t.filter, t.family, t.positives, t.caught, t.missed, t.optionalMissed,
                t.negatives, t.touched, List.copyOf(t.failures))));
        return scores;
    }

    private static final class Tally {
        final String filter;
        final String family;
        int positives;
        int caught;
        int missed;
        int optionalMissed;
        int negatives;
        int touched;
        final List<String> failures = new ArrayList<>();

        Tally(String filter, String family) {
            this.filter = filter;
            this.family = family;
        }
    }
}
