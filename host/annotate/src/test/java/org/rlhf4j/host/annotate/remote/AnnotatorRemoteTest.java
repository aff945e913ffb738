package org.rlhf4j.host.annotate.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.api.MetricsSink;
import org.rlhf4j.api.RunContext;
import org.rlhf4j.api.annotate.AnnotationTask;
import org.rlhf4j.api.annotate.Label;
import org.rlhf4j.api.stage.StageFailure;

/**
 * The API judge against a stub chat-completions server on 127.0.0.1: a good reply, retries after 500 and
 * 429, a timeout, malformed replies (a clear error, no label), the cache, the cost count, and the key that
 * is sent but never appears in an error. The http-service annotator's mapping against the same stub.
 */
class AnnotatorRemoteTest {

    private static final String KEY = "sk-test-secret-123";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AnnotationTask TASK = new AnnotationTask("q1", AnnotationTask.Kind.RANK, "What is 2+2?",
            List.of("4.", "5.", "Four, happy to help!"), Map.of());

    @TempDir
    Path dir;

    private HttpServer stub;
    /** What the stub answers next: status and body; the last one repeats. */
    private final ConcurrentLinkedQueue<Object[]> script = new ConcurrentLinkedQueue<>();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile String lastAuthorization;
    private volatile String lastBody;

    @BeforeEach
    void startStub() throws Exception {
        stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        stub.createContext("/v1/chat/completions", ex -> {
            requests.incrementAndGet();
            lastAuthorization = ex.getRequestHeaders().getFirst("Authorization");
            lastBody = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Object[] next = script.size() > 1 ? script.poll() : script.peek();
            if ((int) next[0] == 0) {
                try {
                    Thread.sleep(3000); // longer than the client's timeout
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                next = new Object[] {200, completion("{\"ranks\":[1,2,1]}")};
            }
            byte[] bytes = ((String) next[1]).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders((int) next[0], bytes.length);
            ex.getResponseBody().write(bytes);
            ex.close();
        });
        stub.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        stub.start();
    }

    @AfterEach
    void stopStub() {
        stub.stop(0);
    }

    private static String completion(String content) throws com.fasterxml.jackson.core.JsonProcessingException {
        return JSON.writeValueAsString(Map.of("choices", List.of(Map.of("message", Map.of("role", "assistant", "content", content))),
                "usage", Map.of("prompt_tokens", 100, "completion_tokens", 20)));
    }

    private ApiJudgeAnnotator judge(boolean cache) {
        Config c = ConfigFactory.parseString("base-url = \"http://127.0.0.1:" + stub.getAddress().getPort() + "/v1\"\n"
                + "model = judge-1\n retries = 2\n backoff = 10ms\n timeout = 1s\n cache = " + cache + "\n"
                + "price-per-1k-prompt-tokens = 0.5\n price-per-1k-completion-tokens = 2.0\n")
                .withFallback(ConfigFactory.parseResources("reference.conf").resolve().getConfig("api-judge"));
        return new ApiJudgeAnnotator(c, List.of("hallucination", "harmful-advice"), run(), name -> name.equals("OPENAI_API_KEY") ? KEY : null);
    }

    private RunContext run() {
        return new RunContext() {
            public String name() { return "t"; }
            public long seed() { return 1; }
            public ai.djl.Device device() { return ai.djl.Device.cpu(); }
            public Path directory() { return dir; }
            public MetricsSink metrics() { return (stage, step, values) -> { }; }
        };
    }

    @Test
    void labelsFromAGoodReplyAfterRetriesAndCountsCost() throws Exception {
        script.add(new Object[] {500, "{\"error\":\"overloaded\"}"});
        script.add(new Object[] {429, "{\"error\":\"slow down\"}"});
        script.add(new Object[] {200, completion("Here you go:\n```json\n{\"ranks\":[2,3,1],\"ratings\":[5,1,7],"
                + "\"flags\":[[],[\"hallucination\"],[]],\"safe\":[true,true,true],\"reason\":\"5 is wrong\"}\n```")});
        ApiJudgeAnnotator judge = judge(true);
        List<Label> labels = judge.annotate(List.of(TASK));
        assertEquals(3, requests.get());
        assertEquals("Bearer " + KEY, lastAuthorization);
        assertTrue(lastBody.contains("\"model\":\"judge-1\"") && lastBody.contains("[3] Four, happy to help!"), lastBody);
        Label l = labels.get(0);
        assertEquals("api:judge-1", l.annotator());
        assertEquals(List.of(2, 3, 1), l.ranks());
        assertEquals(List.of("hallucination"), l.flags().get(1));
        assertEquals(0.1 * 0.5 + 0.02 * 2.0, judge.usage().get("cost").doubleValue(), 1e-12);
        // The same request again comes from the cache: no call, no cost.
        ApiJudgeAnnotator again = judge(true);
        assertEquals(List.of(2, 3, 1), again.annotate(List.of(TASK)).get(0).ranks());
        assertEquals(3, requests.get());
        assertEquals(0.0, again.usage().get("cost").doubleValue());
    }

    @Test
    void errorsTimeoutsAndMalformedRepliesFailClearlyWithoutALabelOrTheKey() throws Exception {
        script.add(new Object[] {503, "{\"error\":\"down\"}"});
        StageFailure down = assertThrows(StageFailure.class, () -> judge(false).annotate(List.of(TASK)));
        assertTrue(down.getMessage().contains("task q1") && down.getMessage().contains("3 attempt(s)")
                && down.getMessage().contains("HTTP 503"), down.getMessage());
        assertFalse(down.getMessage().contains(KEY));

        script.clear();
        script.add(new Object[] {401, "{\"error\":\"bad key\"}"});
        requests.set(0);
        StageFailure refused = assertThrows(StageFailure.class, () -> judge(false).annotate(List.of(TASK)));
        assertEquals(1, requests.get(), "a 401 is not retried");
        assertTrue(refused.getMessage().contains("HTTP 401"), refused.getMessage());

        for (String bad : List.of(completion("I think the first one is best."), completion("{\"ranks\":[1,2]}"),
                completion("{\"ranks\":[1,9,2]}"), "{\"choices\":[]}", "<html>gateway</html>")) {
            script.clear();
            script.add(new Object[] {200, bad});
            StageFailure malformed = assertThrows(StageFailure.class, () -> judge(true).annotate(List.of(TASK)));
            assertTrue(malformed.getMessage().contains("malformed reply") && malformed.getMessage().contains("no label"),
                    malformed.getMessage());
        }
        // A malformed reply is never cached: a good reply is asked for next time.
        script.clear();
        script.add(new Object[] {200, completion("{\"ranks\":[1,2,1]}")});
        assertEquals(List.of(1, 2, 1), judge(true).annotate(List.of(TASK)).get(0).ranks());

        script.clear();
        script.add(new Object[] {0, ""});
        StageFailure slow = assertThrows(StageFailure.class, () -> judge(false).annotate(List.of(TASK)));
        assertTrue(slow.getMessage().contains("no answer within 1000 ms"), slow.getMessage());
    }

    @Test
    void serviceMapsRequestAndResponseThroughItsTemplateAndPointers() throws Exception {
        script.add(new Object[] {200, "{\"result\":{\"scores\":[0.2,0.1,0.9],\"label\":\"math\"}}"});
        Config c = ConfigFactory.parseString("url = \"http://127.0.0.1:" + stub.getAddress().getPort() + "/v1/chat/completions\"\n"
                + "name = scorer\n request = \"\"\"{\"q\": {{prompt}}, \"candidates\": {{answers}}}\"\"\"\n"
                + "response { ranks = \"\", scores = \"/result/scores\", category = \"/result/label\" }\n")
                .withFallback(ConfigFactory.parseResources("reference.conf").resolve().getConfig("http-service"));
        Label l = new HttpServiceAnnotator(c).annotate(List.of(TASK)).get(0);
        assertEquals(List.of(2, 3, 1), l.ranks());
        assertEquals("math", l.category());
        assertEquals("service:scorer", l.annotator());
        assertEquals("{\"q\": \"What is 2+2?\", \"candidates\": [\"4.\",\"5.\",\"Four, happy to help!\"]}", lastBody);
        script.clear();
        script.add(new Object[] {200, "{\"result\":{}}"});
        StageFailure e = assertThrows(StageFailure.class, () -> new HttpServiceAnnotator(c).annotate(List.of(TASK)));
        assertTrue(e.getMessage().contains("nothing at /result/scores"), e.getMessage());
    }
}
