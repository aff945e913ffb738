package com.example.rlhf;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pf4j.Extension;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.data.FilterDecision;
import org.rlhf4j.api.data.Message;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.data.RecordFilter;

/**
 * Drops a record that contains one of the configured words or phrases (whole words) in its text, a message or an
 * answer, naming the word. A plain function of the record: thread-safe, and the same in-process, sharded or on Spark.
 *
 * <pre>
 * filter.chain = [short-text, ..., example.banned-words]
 * example.banned-words.words = ["casino", "free money"]
 * </pre>
 */
@Extension
@ExtensionName("example.banned-words")
public final class BannedWordsFilter implements RecordFilter {

    private final Pattern banned;

    @Inject
    public BannedWordsFilter(@Settings Config settings) {
        List<String> words = settings.getStringList("words");
        if (words.isEmpty() || words.stream().anyMatch(String::isBlank)) {
            throw new ConfigProblem(settings, "words", "must list at least one word, none blank;"
                    + " to keep every record leave example.banned-words out of filter.chain");
        }
        List<String> quoted = new ArrayList<>();
        for (String w : words) {
            quoted.add(Pattern.quote(w.strip()));
        }
        int flags = Pattern.UNICODE_CHARACTER_CLASS | (settings.getBoolean("case-sensitive") ? 0
                : Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        this.banned = Pattern.compile("\\b(" + String.join("|", quoted) + ")\\b", flags);
    }

    @Override
    public FilterDecision apply(Record record) {
        List<String> fields = new ArrayList<>();
        fields.add(record.text());
        for (Message m : record.messages()) {
            fields.add(m.content());
        }
        fields.addAll(record.answers());
        for (String field : fields) {
            Matcher m = banned.matcher(field);
            if (m.find()) {
                return FilterDecision.drop(record, "banned word '" + m.group(1) + "'");
            }
        }
        return FilterDecision.keep(record);
    }
}
