package org.rlhf4j.plugins.beaver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.pf4j.Extension;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.data.DataSource;
import org.rlhf4j.api.data.Message;
import org.rlhf4j.api.data.Provenance;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.data.RecordStream;

/**
 * PKU-SafeRLHF's format (prompt, response_0, response_1, is_response_0_safe, is_response_1_safe,
 * better_response_id, safer_response_id), one JSON object per line, gzip read transparently. Each line
 * gives PREFERENCE records by {@code pairs}:
 * <ul>
 *   <li>{@code helpfulness}: chosen = the better response (the reward model's data);</li>
 *   <li>{@code safety}: chosen = the LESS safe response, with {@code meta.chosen_safe} / {@code rejected_safe}
 *       (the cost model's data: it scores unsafe answers higher);</li>
 *   <li>{@code both}: one of each.</li>
 * </ul>
 * Spec keys: {@code path}, {@code pairs} (default both), {@code on-error} (skip | fail, default fail).
 * A malformed line names its file and line.
 */
@Extension
@ExtensionName("beaver.pku-saferlhf")
public final class PkuSafeRlhfSource implements DataSource {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FIELDS = List.of("prompt", "response_0", "response_1", "is_response_0_safe",
            "is_response_1_safe", "better_response_id", "safer_response_id");

    @Override
    public RecordStream open(Config spec) throws IOException {
        Path path = Path.of(spec.getString("path"));
        String pairs = spec.hasPath("pairs") ? spec.getString("pairs").toLowerCase(Locale.ROOT) : "both";
        if (!List.of("helpfulness", "safety", "both").contains(pairs)) {
            throw new ConfigProblem(spec, "pairs", "must be helpfulness, safety or both, got '" + pairs + "'");
        }
        boolean skipBad = spec.hasPath("on-error") && spec.getString("on-error").equals("skip");
        String source = spec.hasPath("name") ? spec.getString("name") : "pku-saferlhf";
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(path.toAbsolutePath().toString(), null, "no such file");
        }
        InputStream in = Files.newInputStream(path);
        if (path.toString().endsWith(".gz")) {
            in = new GZIPInputStream(in);
        }
        BufferedReader reader = new BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        return new RecordStream() {
            private final Deque<Record> pending = new ArrayDeque<>();
            private long line;

            @Override
            public Record next() throws IOException {
                while (pending.isEmpty()) {
                    String text = reader.readLine();
                    if (text == null) {
                        return null;
                    }
                    line++;
                    if (text.isBlank()) {
                        continue;
                    }
                    try {
                        parse(text, source, path, line, pairs);
                    } catch (IllegalArgumentException e) {
                        if (!skipBad) {
                            throw new IOException(path + ":" + line + ": " + e.getMessage());
                        }
                    }
                }
                return pending.removeFirst();
            }

            private void parse(String text, String source, Path path, long line, String pairs) {
                JsonNode o;
                try {
                    o = JSON.readTree(text);
                } catch (IOException e) {
                    throw new IllegalArgumentException("not JSON: " + e.getMessage());
                }
                for (String f : FIELDS) {
                    if (o == null || !o.has(f)) {
                        throw new IllegalArgumentException("missing PKU-SafeRLHF field '" + f + "'");
                    }
                }
                String[] responses = {o.get("response_0").asText(), o.get("response_1").asText()};
                boolean[] safe = {o.get("is_response_0_safe").asBoolean(), o.get("is_response_1_safe").asBoolean()};
                int better = o.get("better_response_id").asInt();
                int safer = o.get("safer_response_id").asInt();
                if ((better != 0 && better != 1) || (safer != 0 && safer != 1)) {
                    throw new IllegalArgumentException("better_response_id and safer_response_id must be 0 or 1");
                }
                List<Message> prompt = List.of(Message.user(o.get("prompt").asText()));
                Provenance p = new Provenance(source, path.toString(), line);
                String id = source + ":" + line;
                if (!pairs.equals("safety")) {
                    pending.add(new Record(id + ":helpful", Record.Kind.PREFERENCE, "", prompt,
                            List.of(responses[better], responses[1 - better]), Map.of("group", id, "pair", "helpfulness"), p));
                }
                if (!pairs.equals("helpfulness")) {
                    int unsafer = 1 - safer;
                    pending.add(new Record(id + ":safety", Record.Kind.PREFERENCE, "", prompt,
                            List.of(responses[unsafer], responses[safer]), Map.of("group", id, "pair", "safety",
                            "chosen_safe", String.valueOf(safe[unsafer]), "rejected_safe", String.valueOf(safe[safer])), p));
                }
            }

            @Override
            public void close() throws IOException {
                reader.close();
            }
        };
    }
}
