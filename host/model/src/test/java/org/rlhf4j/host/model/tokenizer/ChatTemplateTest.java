package org.rlhf4j.host.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.data.Message;

/** The DeepSpeed-Chat, Beaver and role-token templates, and which tokens SFT trains on. */
class ChatTemplateTest {

    static final List<Message> TWO_TURNS = List.of(Message.user("What is 2+2?"), Message.assistant("4."),
            Message.user("谢谢!"), Message.assistant("不客气 😀"));

    static ChatTemplate template(String name) {
        return ChatTemplate.from(ConfigFactory.defaultReference().getConfig("tokenizer").withValue("template",
                com.typesafe.config.ConfigValueFactory.fromAnyRef(name)));
    }

    @Test
    void theShippedTemplatesRenderAsTheirSystems() {
        assertEquals(" Human: What is 2+2? Assistant: 4.<|endoftext|> Human: 谢谢! Assistant: 不客气 😀<|endoftext|>",
                template("deepspeed").text(TWO_TURNS));
        assertEquals("BEGINNING OF CONVERSATION: USER: hi ASSISTANT:",
                template("beaver").prompt(List.of(Message.user("hi"))));
        assertEquals("<|user|>hi<|assistant|>", template("chat").prompt(List.of(Message.user("hi"))));
    }

    @Test
    void onlyAnswerTokensOfEveryTurnAreTrained() {
        Tokenizer tok = CharTokenizer.of(List.of(template("deepspeed").text(TWO_TURNS)));
        ChatTemplate.Encoded e = template("deepspeed").encode(tok, TWO_TURNS);
        StringBuilder trained = new StringBuilder();
        StringBuilder context = new StringBuilder();
        for (int i = 0; i < e.ids().length; i++) {
            (e.trained()[i] ? trained : context).append(tok.decode(new int[] {e.ids()[i]}));
        }
        assertEquals(" 4.<|endoftext|> 不客气 😀<|endoftext|>", trained.toString());
        assertEquals(" Human: What is 2+2? Assistant: Human: 谢谢! Assistant:", context.toString());
        assertFalse(e.trained()[0]);
        assertTrue(e.trained()[e.ids().length - 1], "the end-of-text after an answer is learned");
    }

    @Test
    void thePromptEncodesAsTheConversationDoesUpToTheAnswer() {
        Tokenizer tok = CharTokenizer.of(List.of(template("beaver").text(TWO_TURNS)));
        ChatTemplate t = template("beaver");
        int[] prompt = t.encodePrompt(tok, TWO_TURNS.subList(0, 1));
        int[] whole = t.encode(tok, TWO_TURNS).ids();
        assertEquals(tok.decode(java.util.Arrays.copyOf(whole, prompt.length)), tok.decode(prompt));
    }

    @Test
    void anUnknownTemplateIsAConfigProblemNamingTheKnownOnes() {
        var e = assertThrows(ConfigProblem.class, () -> template("alpaca"));
        assertTrue(e.getMessage().contains("deepspeed"), e.getMessage());
    }
}
