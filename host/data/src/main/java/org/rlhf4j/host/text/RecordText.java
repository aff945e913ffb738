package org.rlhf4j.host.text;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.rlhf4j.api.data.Message;
import org.rlhf4j.api.data.Record;

/**
 * The text a filter judges for any kind of record, and the way a rewriting filter changes it: a
 * document's or prompt's {@code text}; for conversations and preferences, every turn and every answer
 * joined by blank lines.
 */
public final class RecordText {

    private RecordText() {
    }

    /** All the record's text, turns and answers included. */
    public static String of(Record r) {
        if (r.messages().isEmpty() && r.answers().isEmpty()) {
            return r.text();
        }
        StringBuilder b = new StringBuilder(r.text());
        for (Message m : r.messages()) {
            append(b, m.content());
        }
        for (String a : r.answers()) {
            append(b, a);
        }
        return b.toString();
    }

    /** The prompt of a record: a prompt's or document's text, or the first user turn. */
    public static String prompt(Record r) {
        if (!r.text().isEmpty() || r.messages().isEmpty()) {
            return r.text();
        }
        for (Message m : r.messages()) {
            if (m.role() == Message.Role.USER) {
                return m.content();
            }
        }
        return r.messages().get(0).content();
    }

    /** The record with {@code edit} applied to its text, each turn and each answer (the record itself when nothing changed). */
    public static Record map(Record r, UnaryOperator<String> edit) {
        boolean changed = false;
        List<Message> msgs = new ArrayList<>(r.messages().size());
        for (Message m : r.messages()) {
            String content = edit.apply(m.content());
            changed |= !content.equals(m.content());
            msgs.add(new Message(m.role(), content));
        }
        List<String> answers = new ArrayList<>(r.answers().size());
        for (String a : r.answers()) {
            String edited = edit.apply(a);
            changed |= !edited.equals(a);
            answers.add(edited);
        }
        String text = r.text().isEmpty() ? "" : edit.apply(r.text());
        changed |= !text.equals(r.text());
        return changed ? new Record(r.id(), r.kind(), text, msgs, answers, r.meta(), r.provenance()) : r;
    }

    private static void append(StringBuilder b, String s) {
        if (b.length() > 0) {
            b.append("\n\n");
        }
        b.append(s);
    }
}
