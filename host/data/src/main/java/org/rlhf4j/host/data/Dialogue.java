package org.rlhf4j.host.data;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rlhf4j.api.data.Message;

/**
 * Parses the "\n\nHuman: ...\n\nAssistant: ..." dialogue text of Anthropic's HH-RLHF and of
 * DeepSpeed-Chat's rm-static prompts into turns. A trailing empty "Assistant:" (the prompt's cue for
 * the answer) is dropped. Text before the first marker becomes a user turn.
 */
final class Dialogue {

    private static final Pattern MARKER = Pattern.compile("(?:^|\\n\\n)(Human|Assistant|H|A):\\s?");

    private Dialogue() {
    }

    static List<Message> parse(String text) {
        List<Message> turns = new ArrayList<>();
        Matcher m = MARKER.matcher(text);
        int last = -1;
        Message.Role role = null;
        while (m.find()) {
            if (last >= 0) {
                add(turns, role, text.substring(last, m.start()));
            } else if (!text.substring(0, m.start()).isBlank()) {
                add(turns, Message.Role.USER, text.substring(0, m.start()));
            }
            role = m.group(1).startsWith("H") ? Message.Role.USER : Message.Role.ASSISTANT;
            last = m.end();
        }
        if (last >= 0) {
            add(turns, role, text.substring(last));
        } else if (!text.isBlank()) {
            add(turns, Message.Role.USER, text);
        }
        return turns;
    }

    private static void add(List<Message> turns, Message.Role role, String content) {
        String c = content.strip();
        if (!c.isEmpty()) {
            turns.add(new Message(role, c));
        }
    }
}
