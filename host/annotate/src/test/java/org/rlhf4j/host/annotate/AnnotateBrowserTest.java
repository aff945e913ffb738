package org.rlhf4j.host.annotate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.rlhf4j.api.annotate.AnnotationTask;
import org.rlhf4j.api.annotate.AnnotationTask.Kind;
import org.rlhf4j.host.annotate.store.Accounts.Role;
import org.rlhf4j.host.annotate.store.AnnotationStore;
import org.rlhf4j.host.annotate.store.LabelStore;
import org.rlhf4j.host.annotate.store.TaskStore.Status;
import org.rlhf4j.host.annotate.web.AnnotationServer;

/**
 * Headless Chromium drives the page: sign in, rate, flag, rank with a tie (keyboard and menus), submit,
 * and the store holds the label; an answer holding {@code <script>} shows as text and runs nothing.
 * Skipped, saying why, where Debian's chromium and chromedriver are not installed.
 */
class AnnotateBrowserTest {

    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File DRIVER = new File("/usr/bin/chromedriver");
    private static final String HOSTILE = "<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\"><b>bold?</b>";

    @TempDir
    Path dir;

    private AnnotationStore store;
    private AnnotationServer server;
    private ChromeDriver browser;
    private String token;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(CHROMIUM.canExecute() && DRIVER.canExecute(),
                "skipped: the browser tests need Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
        store = AnnotationStore.open("jdbc:sqlite:" + dir.resolve("annotations.db"));
        token = store.accounts().create("alice", Role.ANNOTATOR);
        server = AnnotationServer.start(store, AnnotateFixture.settings(""), "127.0.0.1", 0);
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM);
        Path profile = Files.createDirectories(dir.resolve("chromium-profile"));
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
        if (store != null) {
            store.close();
        }
    }

    private void queue(AnnotationTask t) {
        AnnotateFixture.queue(store, t);
    }

    private void signIn() {
        browser.get(server.url());
        browser.findElement(By.id("token")).sendKeys(token);
        browser.findElement(By.id("login-button")).click();
        waitFor("the task to show", () -> !browser.findElements(By.cssSelector(".answer")).isEmpty());
    }

    private static void waitFor(String what, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void ranksWithATieFlagsAnAnswerAndTheStoreHoldsTheLabel() {
        queue(new AnnotationTask("t1", Kind.RANK, "What is the capital of France?",
                List.of("Paris.", "The capital of France is Lyon.", "The capital of France is Paris. Happy to help!"),
                Map.of("category", "closed qa")));
        signIn();
        assertEquals("What is the capital of France?", browser.findElement(By.id("prompt")).getText());
        int[] ratings = {6, 2, 6};
        for (int i = 0; i < 3; i++) {
            browser.findElement(By.id("rating-" + i + "-" + ratings[i])).click();
        }
        browser.findElement(By.id("flag-1-hallucination")).click();
        // Keyboard: focus answer 1 and press 1; menus for the others; answers 1 and 3 tie.
        WebElement first = browser.findElement(By.cssSelector(".answer[data-index='0']"));
        ((JavascriptExecutor) browser).executeScript("arguments[0].focus()", first);
        first.sendKeys("1");
        browser.findElement(By.cssSelector("#rank-1 option[value='3']")).click();
        browser.findElement(By.cssSelector("#rank-2 option[value='1']")).click();
        assertEquals("1", browser.findElement(By.id("rank-0")).getDomProperty("value"));
        assertEquals(2, browser.findElements(By.cssSelector(".bucket[data-rank='1'] .chip")).size(), "the tie is not on the board");
        // [1, 3, 1] skips rank 2: the page shows the server's refusal and nothing is stored
        browser.findElement(By.id("submit")).click();
        waitFor("the refusal", () -> browser.findElement(By.id("message")).getText().startsWith("Not saved"));
        assertTrue(browser.findElement(By.id("message")).getText().contains("skip [2]"), browser.findElement(By.id("message")).getText());
        assertTrue(store.labels().all().isEmpty(), "a gapped ranking was stored");
        browser.findElement(By.cssSelector("#rank-1 option[value='2']")).click();
        browser.findElement(By.id("submit")).click();
        waitFor("the label to be stored", () -> !store.labels().all().isEmpty());
        waitFor("the page to confirm", () -> browser.findElement(By.id("message")).getText().startsWith("Saved"));

        List<LabelStore.StoredLabel> labels = store.labels().all();
        assertEquals(1, labels.size());
        var label = labels.get(0).label();
        assertEquals("t1", label.taskId());
        assertEquals("alice", label.annotator());
        assertEquals(List.of(1, 2, 1), label.ranks());
        assertEquals(List.of(6, 2, 6), label.ratings());
        assertEquals(List.of(List.of(), List.of("hallucination"), List.of()), label.flags());
        assertEquals(1, labels.get(0).taskVersion());
        assertEquals(LabelStore.Source.WEB, labels.get(0).source());
    }

    @Test
    void anAnswerHoldingScriptShowsAsTextAndRunsNothing() {
        queue(new AnnotationTask("x1", Kind.RANK, "Say something <b>bold</b>", List.of(HOSTILE, "Plain answer."), Map.of()));
        signIn();
        List<WebElement> texts = browser.findElements(By.cssSelector(".answer-text"));
        assertEquals(HOSTILE, texts.get(0).getText());
        assertEquals("Say something <b>bold</b>", browser.findElement(By.id("prompt")).getText());
        JavascriptExecutor js = (JavascriptExecutor) browser;
        assertNull(js.executeScript("return window.__pwned === undefined ? null : window.__pwned"));
        assertTrue(browser.findElements(By.cssSelector("#work script, #work img, #work b")).isEmpty(),
                "untrusted text became elements");
        assertEquals(1L, js.executeScript("return document.querySelectorAll('.answer-text')[0].childNodes.length"));
    }
}
