package org.rlhf4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Opens a run's two HTML reports (report.html, data/report.html) in headless Chromium, checks what a reader
 * sees, and keeps a full-page screenshot of each under target/screenshots/ to look at. Checked: the headline
 * comes first, every chart has its tick labels, and Chinese text renders as glyphs, not as the "tofu" boxes
 * Chromium draws when no font covers it (.ci/run installs Debian's fonts-noto-cjk for this).
 */
final class ReportPages {

    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File DRIVER = new File("/usr/bin/chromedriver");

    /**
     * In the page's own font: do two different Chinese characters draw different pixels? Without a CJK font both
     * are the same missing-glyph box.
     */
    private static final String HAN_RENDERS = """
            const c = document.createElement('canvas'); c.width = 40; c.height = 40;
            const g = c.getContext('2d');
            const font = getComputedStyle(document.body).fontFamily;
            const draw = ch => { g.clearRect(0, 0, 40, 40); g.font = '28px ' + font; g.fillText(ch, 4, 32);
                                 return Array.from(g.getImageData(0, 0, 40, 40).data).join(','); };
            return draw('\\u4e2d') !== draw('\\u6587');
            """;

    private ReportPages() {
    }

    /** Whether Debian's chromium and chromedriver are installed (the checks are skipped, saying so, where not). */
    static boolean browserAvailable() {
        return CHROMIUM.canExecute() && DRIVER.canExecute();
    }

    /** Checks both reports of the run in {@code run} and saves {@code <name>-report.png} and {@code <name>-data-report.png}. */
    static void check(Path run, String name, Path profile) throws Exception {
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1280,900", "--user-data-dir=" + Files.createDirectories(profile));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER).usingAnyFreePort().build();
        ChromeDriver browser = new ChromeDriver(service, options);
        try {
            browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
            Path shots = Files.createDirectories(Path.of("target", "screenshots"));
            for (String[] page : List.of(new String[] {"report.html", name + "-report.png"},
                    new String[] {"data/report.html", name + "-data-report.png"})) {
                browser.get(run.resolve(page[0]).toUri().toString());
                String where = name + " " + page[0];
                assertEquals(Boolean.TRUE, browser.executeScript(
                        "const h = document.querySelector('ul.headline'); const t = document.querySelector('h2');"
                                + "return h !== null && t !== null && (h.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;"),
                        where + ": the headline comes before the first section");
                Long charts = (Long) browser.executeScript("return document.querySelectorAll('svg').length;");
                Long withoutTicks = (Long) browser.executeScript(
                        "return Array.from(document.querySelectorAll('svg')).filter(s => s.querySelectorAll('line[stroke=\"#e4e4e4\"]').length < 2).length;");
                assertTrue(charts > 0, where + ": no chart");
                assertEquals(0L, withoutTicks, where + ": a chart without grid lines");
                assertEquals(Boolean.TRUE, browser.executeScript(HAN_RENDERS),
                        where + ": Chinese characters render as missing-glyph boxes (no CJK font: apt-get install fonts-noto-cjk)");
                Long height = (Long) browser.executeScript("return Math.min(document.documentElement.scrollHeight, 12000);");
                browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, height.intValue()));
                Files.write(shots.resolve(page[1]), browser.getScreenshotAs(OutputType.BYTES));
            }
        } finally {
            browser.quit();
        }
    }
}
