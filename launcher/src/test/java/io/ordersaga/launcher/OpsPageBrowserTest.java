package io.ordersaga.launcher;

import tools.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operations page ({@code GET /ops}) in a real browser: Debian's headless Chromium, driven through its own
 * chromedriver (both from {@code /usr/bin}, so Selenium downloads nothing), against the running system while
 * orders are placed. The page, given an admin token, shows orders being placed, then the same figures as the admin
 * routes it polls: the sagas in the store, every service instance RUNNING, the dead-letter total. A screenshot is
 * left at {@code target/ops.png}.
 * Budget: 2 min (measured about 15 s on the shared system: 40 orders, the page polling every 2 s).
 */
@ExtendWith(RunningSystem.class)
class OpsPageBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final int ORDERS = 40;

    private ChromeDriverService driverService;
    private WebDriver browser;

    @BeforeEach
    void startBrowser() throws Exception {
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
                .as("this test needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver;"
                        + " .ci/run installs them)").isTrue();
        Path profile = Files.createTempDirectory("ordersaga-chromium");
        driverService = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless",
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1400,1100");
        browser = new ChromeDriver(driverService, options);
    }

    @AfterEach
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
        if (driverService != null) {
            driverService.stop();
        }
    }

    @Test
    void theOperationsPageShowsOrdersMovingAndTheFiguresTheAdminRoutesGive(RunningSystem system) throws Exception {
        TestData data = system.data();
        String product = data.product(100, ORDERS);
        List<String> customers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            customers.add(data.customer(100_000));
        }

        browser.get(system.cluster().first(Service.API).url() + "/ops");
        browser.findElement(By.id("ops-token")).sendKeys(system.stack().issuer().admin());
        browser.findElement(By.id("ops-connect")).click();
        awaitPage("the page's first update", () -> text("ops-status").startsWith("updated"));
        long sagasBefore = number("ops-sagas");

        CompletableFuture<List<String>> placing = CompletableFuture.supplyAsync(() -> {
            List<String> orders = new ArrayList<>();
            for (int i = 0; i < ORDERS; i++) {
                orders.add(data.place(customers.get(i % customers.size()), product, 1));
            }
            return orders;
        });
        awaitPage("orders placed shown while they are placed", () -> number("ops-placed") > 0);
        for (String orderId : placing.get()) {
            assertThat(data.awaitTerminal(orderId).status()).isEqualTo("CONFIRMED");
        }

        JsonNode stats = system.api().get("/admin/sagas/stats?windowMs=10000").body();
        long sagas = stats.path("sagas").asLong();
        long inFlight = StreamSupport.stream(stats.path("inFlight").spliterator(), false)
                .flatMap(buckets -> StreamSupport.stream(buckets.spliterator(), false)).mapToLong(JsonNode::asLong).sum();
        assertThat(sagas).isGreaterThanOrEqualTo(sagasBefore + ORDERS);
        awaitPage("the sagas in the store and in flight as the API counts them",
                () -> number("ops-sagas") == sagas && number("ops-in-flight") == inFlight);

        JsonNode instances = system.api().get("/admin/instances").body();
        awaitPage("every instance RUNNING, as the API lists them", () -> {
            List<WebElement> rows = browser.findElements(By.cssSelector("#ops-instances tbody tr"));
            return rows.size() == instances.size()
                    && rows.stream().allMatch(row -> row.findElements(By.tagName("td")).get(2).getText().equals("RUNNING"));
        });
        assertThat(StreamSupport.stream(instances.spliterator(), false).map(i -> i.path("state").asString()))
                .containsOnly("RUNNING");

        long deadLetters = StreamSupport.stream(system.api().get("/admin/dead-letters/counts").body().spliterator(), false)
                .mapToLong(JsonNode::asLong).sum();
        awaitPage("the dead-letter total as the API counts it", () -> number("ops-dead-letters") == deadLetters);

        File screenshot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(screenshot.toPath(), Path.of("target", "ops.png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private long number(String id) {
        String text = text(id);
        return text.matches("\\d+") ? Long.parseLong(text) : -1;
    }

    /** Polls the page every 100 ms for up to 30 s (it polls the API every 2 s); the page's status on failure. */
    private void awaitPage(String what, Callable<Boolean> condition) {
        Awaitility.await(what + " (page status: " + text("ops-status") + ")").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(condition);
    }
}
