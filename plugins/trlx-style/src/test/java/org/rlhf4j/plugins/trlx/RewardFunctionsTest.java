package org.rlhf4j.plugins.trlx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.reward.PromptAnswer;
import org.rlhf4j.api.reward.Reward;

class RewardFunctionsTest {

    @Test
    void rulesScoreAnswersAndTokens() {
        RuleReward r = new RuleReward(ConfigFactory.parseString(
                "rules = [{ pattern = \"(?i)thank\", score = 1.5 }, { pattern = \"!\", score = -0.5 }], per-token = true"));
        List<Reward> out = r.score(List.of(
                new PromptAnswer("q", "Thank you!", Map.of(), List.of("Thank", " you", "!")),
                new PromptAnswer("q", "7.", Map.of(), List.of("7", "."))));
        assertEquals(1.0, out.get(0).score(), 1e-12);
        assertArrayEquals(new float[] {1.5f, 0f, -0.5f}, out.get(0).perToken(), 0f);
        assertEquals(0.0, out.get(1).score(), 1e-12);
        assertThrows(ConfigProblem.class, () -> new RuleReward(ConfigFactory.parseString("rules = [], per-token = false")));
        assertThrows(ConfigProblem.class, () -> new RuleReward(ConfigFactory.parseString(
                "rules = [{ pattern = \"(\", score = 1 }], per-token = false")));
    }

    @Test
    void httpScorerRoundTripAndItsErrors() throws Exception {
        AtomicReference<String> reply = new AtomicReference<>();
        AtomicReference<Integer> status = new AtomicReference<>(200);
        AtomicReference<String> seen = new AtomicReference<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/score", ex -> {
            seen.set(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] b = reply.get().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status.get(), b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        try {
            HttpReward r = new HttpReward(ConfigFactory.parseString(
                    "url = \"http://127.0.0.1:" + server.getAddress().getPort() + "/score\", timeout = 5s, key-env = \"\""));
            List<PromptAnswer> batch = List.of(new PromptAnswer("2+2?", "4", Map.of("expected", "4"), List.of("4")),
                    new PromptAnswer("hi", "hello", Map.of()));
            reply.set("{\"scores\": [1.5, -2], \"token_scores\": [[0.5], []]}");
            List<Reward> out = r.score(batch);
            assertEquals(1.5, out.get(0).score(), 1e-12);
            assertArrayEquals(new float[] {0.5f}, out.get(0).perToken(), 0f);
            assertEquals(-2.0, out.get(1).score(), 1e-12);
            assertTrue(seen.get().contains("\"expected\":\"4\"") && seen.get().contains("\"answer\":\"hello\""), seen.get());

            reply.set("{\"scores\": [1.5]}");
            IOException few = assertThrows(IOException.class, () -> r.score(batch));
            assertTrue(few.getMessage().contains("1 scores for 2 answers"), few.getMessage());
            reply.set("not json");
            assertTrue(assertThrows(IOException.class, () -> r.score(batch)).getMessage().contains("not JSON"));
            status.set(503);
            reply.set("overloaded");
            assertTrue(assertThrows(IOException.class, () -> r.score(batch)).getMessage().contains("answered 503: overloaded"));
            status.set(200);
            reply.set("{\"scores\": [\"high\", 1]}");
            assertTrue(assertThrows(IOException.class, () -> r.score(batch)).getMessage().contains("is not a number"));
            reply.set("{\"scores\": [0, 1]}");
            assertNull(r.score(batch).get(0).perToken());
        } finally {
            server.stop(0);
        }
    }
}
