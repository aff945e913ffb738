package com.example.rlhf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.data.FilterDecision;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.host.testkit.PluginSettings;
import org.rlhf4j.host.testkit.Records;

/** Unit test: the filter built by hand from its reference.conf defaults (and overrides), on testkit records. */
class BannedWordsFilterTest {

    @Test
    void dropsARecordWithABannedWordAndNamesIt() {
        BannedWordsFilter filter = new BannedWordsFilter(PluginSettings.of("example.banned-words"));
        FilterDecision d = filter.apply(Records.document("Win big at the CASINO tonight"));
        assertEquals(FilterDecision.Action.DROP, d.action());
        assertEquals("banned word 'CASINO'", d.reason());
    }

    @Test
    void looksAtMessagesAndAnswersAndMatchesWholeWordsOnly() {
        BannedWordsFilter filter = new BannedWordsFilter(
                PluginSettings.of("example.banned-words", "example.banned-words.words = [\"free money\", spam]"));
        assertEquals(FilterDecision.Action.DROP, filter.apply(Records.conversation("hi", "get free money now")).action());
        assertEquals(FilterDecision.Action.DROP, filter.apply(Records.preference("say hi", "hello", "spam!")).action());
        Record spammy = Records.document("spammers and spamming are other words");
        assertEquals(FilterDecision.Action.KEEP, filter.apply(spammy).action());
        assertEquals(spammy, filter.apply(spammy).record(), "a kept record is passed on unchanged");
    }

    @Test
    void anEmptyListIsAConfigProblemNamingTheKey() {
        ConfigProblem p = assertThrows(ConfigProblem.class, () -> new BannedWordsFilter(
                PluginSettings.of("example.banned-words", "example.banned-words.words = []")));
        assertTrue(p.getMessage().contains("words"), p.getMessage());
    }
}
