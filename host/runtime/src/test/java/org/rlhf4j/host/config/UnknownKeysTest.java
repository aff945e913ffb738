package org.rlhf4j.host.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.ConfigProblem;

class UnknownKeysTest {

    static final Config REFERENCE = ConfigFactory.parseString("""
            pretrain { steps = 10, lr = 0.001, generate { top-k = 0, temperature = 1.0 }, variants { a { lr = 0.1 } } }
            judge { headers = {} }
            acme.hello { recipient = "world" }
            """);

    /** The run file {@code hocon}, written to run.conf in a fresh folder (so origins carry file and line). */
    static Config run(String hocon) {
        try {
            java.nio.file.Path file = java.nio.file.Files.createTempDirectory("unknown-keys").resolve("run.conf");
            java.nio.file.Files.writeString(file, hocon);
            return ConfigFactory.parseFile(file.toFile()).withFallback(REFERENCE).resolve();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aMisspelledKeyIsNamedWithItsLineAndTheNearestKnownKey() {
        List<UnknownKeys.Unknown> u = UnknownKeys.find(run("\n\npretrain.stepz = 5"), REFERENCE, Set.of());
        assertEquals(1, u.size(), u.toString());
        assertEquals("pretrain.stepz", u.get(0).path());
        assertEquals("pretrain.steps", u.get(0).suggestion());
        assertTrue(u.get(0).where().endsWith("/run.conf:3"), u.get(0).toString());
    }

    @Test
    void nestedPluginAndMisspelledSectionKeysAreFoundToo() {
        List<UnknownKeys.Unknown> u = UnknownKeys.find(run("""
                pretrain.generate.temprature = 0.7
                pretrain.genrate.top-k = 5
                acme.hello.recipent = "you"
                pretrian { steps = 3 }
                """), REFERENCE, Set.of());
        assertEquals(List.of("acme.hello.recipent", "pretrain.generate.temprature", "pretrain.genrate.top-k", "pretrian.steps"),
                u.stream().map(UnknownKeys.Unknown::path).toList());
        assertEquals(List.of("acme.hello.recipient", "pretrain.generate.temperature", "pretrain.generate.top-k", "pretrain.steps"),
                u.stream().map(UnknownKeys.Unknown::suggestion).toList());
    }

    @Test
    void knownKeysOpenMapsTopLevelVariablesAndDeclaredExtrasPass() {
        Config c = run("""
                base-lr = 0.01
                pretrain { steps = 5, lr = ${base-lr} }
                judge.headers { Authorization = "Bearer x" }
                pretrain.variants.mine { steps = 3, generate.top-k = 5 }
                acme.hello.kinds = [document]
                """);
        assertEquals(List.of(), UnknownKeys.find(c, REFERENCE, Set.of("acme.hello.kinds")));
        assertEquals(List.of("acme.hello.kinds"), UnknownKeys.find(c, REFERENCE, Set.of()).stream().map(UnknownKeys.Unknown::path).toList());
        assertEquals(List.of("pretrain.variants.mine.stepz"), UnknownKeys.find(run("pretrain.variants.mine.stepz = 3"), REFERENCE, Set.of())
                .stream().map(UnknownKeys.Unknown::path).toList(), "a variant's keys are its block's");
    }

    @Test
    void checkFailsNamingEveryUnknownKeyUnlessItOnlyWarns() {
        Config c = run("pretrain.stepz = 5\npretrain.lrr = 1");
        ConfigProblem p = assertThrows(ConfigProblem.class, () -> UnknownKeys.check(c, REFERENCE, Set.of(), false));
        assertEquals("pretrain.lrr", p.key());
        assertTrue(p.getMessage().matches("(?s)pretrain.lrr \\(.*run.conf:2\\): no such setting; did you mean pretrain.lr\\?.*"), p.getMessage());
        assertTrue(p.getMessage().matches("(?s).*\\n  and pretrain.stepz \\(.*run.conf:1\\): no such setting; did you mean pretrain.steps\\?.*"), p.getMessage());
        assertEquals(2, UnknownKeys.check(c, REFERENCE, Set.of(), true).size());
    }

    @Test
    void editDistanceCountsSingleCharacterEdits() {
        assertEquals(0, UnknownKeys.editDistance("steps", "steps"));
        assertEquals(1, UnknownKeys.editDistance("stepz", "steps"));
        assertEquals(2, UnknownKeys.editDistance("pretrian", "pretrain"));
        assertEquals(3, UnknownKeys.editDistance("", "abc"));
        assertEquals(null, UnknownKeys.closest("xyz", List.of("steps", "lr")));
    }
}
