package io.ordersaga.demo;

import io.ordersaga.demo.client.Credentials;
import io.ordersaga.demo.report.Report;
import io.ordersaga.demo.workload.FlashSaleWorkload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole demo over HTTP, against {@link FakeOrderApi}. */
class DemoTest {

    @TempDir
    Path out;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    /** Runs the demo with {@code args}; the fake has no Kafka behind it, so no records are counted. */
    private int run(String... args) {
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("--bootstrap", "none"))
                .toArray(String[]::new);
        return Demo.run(DemoOptions.parse(all), Credentials.NONE, new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void syntheticRunBalancesAndWritesTheReports() throws IOException {
        try (FakeOrderApi api = new FakeOrderApi()) {
            int code = run("--orders", "400", "--seed", "5", "--concurrency", "8", "--api", api.url().toString(),
                    "--out", out.toString());
            assertThat(code).as(printed()).isEqualTo(Demo.BOOKS_BALANCE);
        }
        assertThat(printed()).contains("audit       PASSED", "replay [########################] 100% 400/400");
        JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertThat(report.at("/audit/passed").asBoolean()).isTrue();
        assertThat(report.at("/orders/submitted").asInt()).isEqualTo(400);
        assertThat(report.at("/orders/accepted").asInt()).isEqualTo(400);
        assertThat(report.at("/orders/confirmed").asInt()).isPositive();
        assertThat(report.at("/orders/cancelledByReason/OUT_OF_STOCK").asInt()).isPositive();
        assertThat(report.at("/latency/p99Ms").asDouble()).isGreaterThanOrEqualTo(report.at("/latency/p50Ms").asDouble());
        assertThat(report.at("/latency/histogram").size()).isGreaterThanOrEqualTo(Report.HISTOGRAM_BINS);
        assertThat(report.at("/flashSale").isNull()).isTrue();
        assertThat(report.at("/run/stockPolicy").asString()).isEqualTo("ceil(0.8 x units demanded) per product");
        String html = Files.readString(out.resolve("report.html"));
        assertThat(html).contains("<svg", "Audit passed").doesNotContain("<script", "http://cdn", "https://");
    }

    @Test
    void ordersAnsweredEndedByTheirPostNeedNoLongPollAndBalance() throws IOException {
        try (FakeOrderApi api = new FakeOrderApi()) {
            api.applyPreferWait = true;
            int code = run("--orders", "200", "--seed", "6", "--concurrency", "8", "--api", api.url().toString(),
                    "--out", out.toString());
            assertThat(code).as(printed()).isEqualTo(Demo.BOOKS_BALANCE);
            assertThat(api.answeredEnded).isEqualTo(200);
        }
        assertThat(printed()).contains("audit       PASSED", "replay [########################] 100% 200/200");
        JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertThat(report.at("/orders/accepted").asInt()).isEqualTo(200);
        assertThat(report.at("/orders/unfinished").asInt()).isZero();
        assertThat(report.at("/orders/confirmed").asInt()).isPositive();
    }

    @Test
    void stockAndCreditsAnswered503AfterTheyLandedAreRetriedWithTheirKeyAndAppliedOnce() throws IOException {
        try (FakeOrderApi api = new FakeOrderApi()) {
            api.unacknowledgedFirstWrites = true;
            int code = run("--orders", "100", "--api", api.url().toString(), "--out", out.toString());
            assertThat(code).as(printed()).isEqualTo(Demo.BOOKS_BALANCE);
            assertThat(api.unacknowledged).isPositive();
        }
        assertThat(printed()).contains("audit       PASSED");
    }

    @Test
    void refusedOrdersAreCountedByStatusAndLeaveTheBooksBalanced() throws IOException {
        try (FakeOrderApi api = new FakeOrderApi()) {
            api.refuseKeysEndingWith = "7";
            int code = run("--orders", "100", "--api", api.url().toString(), "--out", out.toString());
            assertThat(code).as(printed()).isEqualTo(Demo.BOOKS_BALANCE);
        }
        assertThat(printed()).contains("accepted 90  refused 10 (400: 10, e.g. \"test refusal of key syn42-o000007\")");
        JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertThat(report.at("/orders/refusedByStatus/400").asInt()).isEqualTo(10);
        assertThat(Files.readString(out.resolve("report.html"))).contains("refused, HTTP 400");
    }

    @Test
    void pacedRunBalances() {
        try (FakeOrderApi api = new FakeOrderApi()) {
            int code = run("--orders", "60", "--rate", "300", "--api", api.url().toString(), "--out", out.toString());
            assertThat(code).as(printed()).isEqualTo(Demo.BOOKS_BALANCE);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThat(printed()).contains("paced, 300.0 orders/s");
    }

    @Test
    void aBugInTheServicesIsABreach() throws IOException {
        try (FakeOrderApi api = new FakeOrderApi()) {
            api.chargeTwice = true;
            int code = run("--orders", "100", "--stock-fraction", "5", "--api", api.url().toString(),
                    "--out", out.toString());
            assertThat(code).as(printed()).isEqualTo(Demo.AUDIT_BREACH);
        }
        assertThat(printed()).contains("BREACH WALLET_CHARGED customer syn42-c", "audit       FAILED");
        JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertThat(report.at("/audit/byKind/WALLET_CHARGED").asInt()).isPositive();
    }

    @Test
    void flashSaleSellsExactlyItsUnitsAndTheRestRunOutOfStock() throws IOException {
        try (FakeOrderApi api = new FakeOrderApi()) {
            int code = run("--flash-sale", "300:100", "--api", api.url().toString(), "--out", out.toString());
            assertThat(code).as(printed()).isEqualTo(Demo.BOOKS_BALANCE);
        }
        assertThat(printed()).contains("closed loop, 300 in flight",
                "flash sale  flash42-p: 100 units for 300 buyers: sold 100 (must be min(units, buyers) = 100)  oversold 0",
                "confirmed 100  cancelled OUT_OF_STOCK 200  first POST -> last terminal state ",
                "latency of the 100 CONFIRMED: p50 ", "latency of the 200 OUT_OF_STOCK: p50 ", "audit       PASSED");
        JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertThat(report.at("/flashSale/units").asLong()).isEqualTo(100);
        assertThat(report.at("/flashSale/buyers").asLong()).isEqualTo(300);
        assertThat(report.at("/flashSale/unitsSold").asLong()).isEqualTo(100);
        assertThat(report.at("/flashSale/oversold").asLong()).isZero();
        assertThat(report.at("/flashSale/confirmed").asLong()).isEqualTo(100);
        assertThat(report.at("/flashSale/cancelledOutOfStock").asLong()).isEqualTo(200);
        assertThat(report.at("/flashSale/firstPostToLastTerminalMs").asDouble()).isPositive();
        assertThat(report.at("/flashSale/confirmedLatency/orders").asInt()).isEqualTo(100);
        assertThat(report.at("/run/stockPolicy").asString()).isEqualTo("exactly 100 units per product");
        assertThat(report.at("/load/customers").asInt()).isEqualTo(300);
        assertThat(report.at("/load/creditedPence").asLong()).isEqualTo(300 * FlashSaleWorkload.UNIT_PRICE);
        assertThat(Files.readString(out.resolve("report.html"))).contains("Flash sale: flash42-p", "oversold");
    }

    @Test
    void flashSaleWithMoreUnitsThanBuyersSellsToEveryBuyer() throws IOException {
        try (FakeOrderApi api = new FakeOrderApi()) {
            int code = run("--flash-sale", "40:60", "--concurrency", "10", "--api", api.url().toString(),
                    "--out", out.toString());
            assertThat(code).as(printed()).isEqualTo(Demo.BOOKS_BALANCE);
        }
        assertThat(printed()).contains("closed loop, 10 in flight",
                "60 units for 40 buyers: sold 40 (must be min(units, buyers) = 40)  oversold 0",
                "confirmed 40  cancelled OUT_OF_STOCK 0");
    }

    @Test
    void anOversellingFlashSaleIsABreach() throws IOException {
        try (FakeOrderApi api = new FakeOrderApi()) {
            api.oversell = 3;
            int code = run("--flash-sale", "200:50", "--api", api.url().toString(), "--out", out.toString());
            assertThat(code).as(printed()).isEqualTo(Demo.AUDIT_BREACH);
        }
        assertThat(printed()).contains(
                "BREACH OVERSOLD product flash42-p (flash sale): CONFIRMED orders hold 53 units, but min(50 stocked, "
                        + "200 ordered) = 50 must sell",
                "BREACH OVERSOLD product flash42-p (flash sale): CONFIRMED orders hold 53 units but the stock sold 50",
                "sold 50 (must be min(units, buyers) = 50)  oversold 3", "confirmed 53  cancelled OUT_OF_STOCK 147",
                "audit       FAILED");
        JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertThat(report.at("/flashSale/oversold").asLong()).isEqualTo(3);
        assertThat(report.at("/audit/byKind/OVERSOLD").asInt()).isEqualTo(2);
    }

    @Test
    void aStackThatHoldsTheWorkloadAlreadyIsRefused() throws IOException {
        try (FakeOrderApi api = new FakeOrderApi()) {
            assertThat(run("--orders", "20", "--api", api.url().toString(), "--out", out.toString()))
                    .isEqualTo(Demo.BOOKS_BALANCE);
            assertThat(run("--orders", "20", "--api", api.url().toString(), "--out", out.toString()))
                    .isEqualTo(Demo.COULD_NOT_RUN);
            assertThat(printed()).contains("demo failed: the stack already holds data of this workload");
            assertThat(run("--orders", "20", "--seed", "43", "--api", api.url().toString(), "--out", out.toString()))
                    .isEqualTo(Demo.BOOKS_BALANCE);
        }
    }

    @Test
    void unreachableApiCannotRun() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        assertThat(run("--orders", "5", "--api", "http://127.0.0.1:" + port, "--out", out.toString()))
                .isEqualTo(Demo.COULD_NOT_RUN);
        assertThat(printed()).contains("demo failed: GET http://127.0.0.1:" + port);
    }

    @Test
    void missingCsvCannotRunAndHelpPrintsUsage() {
        assertThat(run("--csv", out.resolve("nope.csv").toString())).isEqualTo(Demo.COULD_NOT_RUN);
        assertThat(printed()).contains("demo failed: no such CSV file");
        assertThat(run("--help")).isEqualTo(Demo.BOOKS_BALANCE);
        assertThat(printed()).contains("Usage: ordersaga demo", "--max-orders N", "--flash-sale BUYERS:UNITS");
    }

    @Test
    void realSampleReplaysThroughTheApi() throws IOException {
        Optional<Path> sample = SampleData.onlineRetailSample();
        assumeTrue(sample.isPresent(), "Online Retail sample not on this machine");
        try (FakeOrderApi api = new FakeOrderApi()) {
            int code = run("--csv", sample.get().toString(), "--max-orders", "300", "--api", api.url().toString(),
                    "--out", out.toString());
            assertThat(code).as(printed()).isEqualTo(Demo.BOOKS_BALANCE);
        }
        assertThat(printed()).contains("first 300 of 12421 orders", "CANCELLATION 674");
    }
}
