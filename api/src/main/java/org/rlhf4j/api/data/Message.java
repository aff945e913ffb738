package org.rlhf4j.api.data;

import java.util.Objects;

/** One turn of a conversation. *
 * @since 0.1.0
 */
public record Message(Role role, String content) {

    /** Who speaks a turn; the chat template renders each role with its own marker. */
    public enum Role { SYSTEM, USER, ASSISTANT }

    public Message {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }

    public static Message user(String content) {
        return new Message(Role.USER, content);
    }

    public static Message assistant(String content) {
        return new Message(Role.ASSISTANT, content);
    }
}
