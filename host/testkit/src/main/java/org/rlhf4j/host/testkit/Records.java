package org.rlhf4j.host.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rlhf4j.api.data.Message;
import org.rlhf4j.api.data.Provenance;
import org.rlhf4j.api.data.Record;

/**
 * Builds {@link Record}s for tests of filters, sources and stages: one-liners for each kind, and a builder for the
 * rest. Ids are {@code r1, r2, ...} unless given; the provenance is {@code test.jsonl:<n>}.
 *
 * <pre>{@code
 * Record doc = Records.document("a short web page");
 * Record pair = Records.preference("say hi", "hello!", "go away");
 * Record chat = Records.builder(Record.Kind.CONVERSATION).user("hi").assistant("hello").meta("lang", "en").build();
 * }</pre>
 */
public final class Records {

    private static final java.util.concurrent.atomic.AtomicLong NEXT = new java.util.concurrent.atomic.AtomicLong();

    private Records() {
    }

    /** A document (pretraining text). */
    public static Record document(String text) {
        return builder(Record.Kind.DOCUMENT).text(text).build();
    }

    /** A prompt without an answer (PPO and evaluation prompts). */
    public static Record prompt(String text) {
        return builder(Record.Kind.PROMPT).text(text).build();
    }

    /** One user turn and its assistant answer (SFT data). */
    public static Record conversation(String user, String assistant) {
        return builder(Record.Kind.CONVERSATION).user(user).assistant(assistant).build();
    }

    /** A prompt with answers ordered best first (chosen, then rejected). */
    public static Record preference(String prompt, String chosen, String rejected) {
        return builder(Record.Kind.PREFERENCE).user(prompt).answer(chosen).answer(rejected).build();
    }

    /** A builder for a record of {@code kind}. */
    public static Builder builder(Record.Kind kind) {
        return new Builder(kind);
    }

    /** Fluent builder; {@link #build()} may be called more than once. */
    public static final class Builder {
        private final Record.Kind kind;
        private String id;
        private String text = "";
        private final List<Message> messages = new ArrayList<>();
        private final List<String> answers = new ArrayList<>();
        private final Map<String, String> meta = new LinkedHashMap<>();
        private Provenance provenance;

        private Builder(Record.Kind kind) {
            this.kind = kind;
        }

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder text(String text) {
            this.text = text;
            return this;
        }

        public Builder user(String content) {
            messages.add(Message.user(content));
            return this;
        }

        public Builder assistant(String content) {
            messages.add(Message.assistant(content));
            return this;
        }

        public Builder system(String content) {
            messages.add(new Message(Message.Role.SYSTEM, content));
            return this;
        }

        public Builder answer(String answer) {
            answers.add(answer);
            return this;
        }

        public Builder meta(String key, String value) {
            meta.put(key, value);
            return this;
        }

        public Builder provenance(String source, String file, long line) {
            this.provenance = new Provenance(source, file, line);
            return this;
        }

        public Record build() {
            long n = NEXT.incrementAndGet();
            return new Record(id != null ? id : "r" + n, kind, text, messages, answers, meta,
                    provenance != null ? provenance : new Provenance("test", "test.jsonl", n));
        }
    }
}
