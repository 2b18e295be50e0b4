package io.ordersaga.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The saga end to end on the real broker and registry, all five services, over HTTP: the happy path,
 * one line of several out of stock, a declined payment, and 100 buyers racing for the last unit.
 */
@ExtendWith(RunningSystem.class)
class OrderSagaEndToEndTest {

    private static RunningSystem system;
    private static Api api;

    @BeforeAll
    static void start(RunningSystem running) {
        system = running;
        api = running.api();
    }

    private static String id(String prefix) {
        return TestData.id(prefix);
    }

    private static String product(long pricePence, long stock) {
        return new TestData(api).product(pricePence, stock);
    }

    private static String customer(long creditPence) {
        return new TestData(api).customer(creditPence);
    }

    private static void await(String what, java.util.concurrent.Callable<Boolean> condition) {
        TestData.await(what, condition);
    }

    @Test
    void happyPathConfirmsChargesAndSells() {
        String productId = product(250, 10);
        String customerId = customer(10_000);

        long start = System.nanoTime();
        Api.Response placed = api.placeOrder(customerId, productId, 3);
        assertThat(placed.status()).isEqualTo(202);
        assertThat(placed.body().path("status").asText()).isEqualTo("PENDING");
        String orderId = placed.body().path("orderId").asText();
        assertThat(placed.location()).endsWith("/orders/" + orderId);

        JsonNode order = api.awaitTerminal(orderId);
        long latencyMs = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("[e2e] one order, POST to CONFIRMED: %d ms%n", latencyMs);

        assertThat(order.path("status").asText()).isEqualTo("CONFIRMED");
        assertThat(order.path("total").asLong()).isEqualTo(750);
        assertThat(order.path("currency").asText()).isEqualTo("GBP");
        assertThat(order.path("lines").get(0).path("unitPrice").asLong()).isEqualTo(250);
        assertThat(order.path("lines").get(0).path("productName").asText()).isEqualTo("Product " + productId);
        await("stock committed", () -> api.stock(productId).path("sold").asLong() == 3);
        JsonNode stock = api.stock(productId);
        assertThat(stock.path("available").asLong()).isEqualTo(7);
        assertThat(stock.path("reserved").asLong()).isZero();
        assertThat(api.wallet(customerId).path("balance").asLong()).isEqualTo(10_000 - 750);

        JsonNode listed = api.get("/customers/" + customerId + "/orders").body();
        assertThat(listed.path("orders").get(0).path("orderId").asText()).isEqualTo(orderId);
    }

    @Test
    void oneLineOutOfStockCancelsTheWholeOrderAndReleasesTheOthers() {
        String plenty = product(100, 50);
        String alsoPlenty = product(300, 50);
        String scarce = product(200, 1);
        String customerId = customer(100_000);

        String orderId = api.placeOrder(customerId, plenty, 5, scarce, 2, alsoPlenty, 1).body().path("orderId").asText();
        JsonNode order = api.awaitTerminal(orderId);

        assertThat(order.path("status").asText()).isEqualTo("CANCELLED");
        assertThat(order.path("reason").asText()).isEqualTo("OUT_OF_STOCK");
        for (String productId : List.of(plenty, alsoPlenty)) {
            await("released " + productId, () -> api.stock(productId).path("available").asLong() == 50
                    && api.stock(productId).path("reserved").asLong() == 0);
        }
        JsonNode scarceStock = api.stock(scarce);
        assertThat(scarceStock.path("available").asLong()).isEqualTo(1);
        assertThat(scarceStock.path("reserved").asLong()).isZero();
        JsonNode wallet = api.wallet(customerId);
        assertThat(wallet.path("balance").asLong()).isEqualTo(100_000);
        assertThat(wallet.path("charged").asLong()).isZero();
    }

    @Test
    void declinedPaymentReleasesTheStock() {
        String productId = product(5_000, 4);
        String customerId = customer(1_000);

        String orderId = api.placeOrder(customerId, productId, 2).body().path("orderId").asText();
        JsonNode order = api.awaitTerminal(orderId);

        assertThat(order.path("status").asText()).isEqualTo("CANCELLED");
        assertThat(order.path("reason").asText()).isEqualTo("PAYMENT_DECLINED");
        await("released", () -> api.stock(productId).path("available").asLong() == 4);
        assertThat(api.stock(productId).path("reserved").asLong()).isZero();
        assertThat(api.wallet(customerId).path("balance").asLong()).isEqualTo(1_000);
    }

    @Test
    void unknownProductIsRejected() {
        String customerId = customer(1_000);
        String orderId = api.placeOrder(customerId, id("NOPE"), 1).body().path("orderId").asText();
        JsonNode order = api.awaitTerminal(orderId);
        assertThat(order.path("status").asText()).isEqualTo("REJECTED");
        assertThat(order.path("reason").asText()).isEqualTo("UNKNOWN_PRODUCT");
    }

    @Test
    void sameIdempotencyKeyGivesTheSameOrderAndOneSaga() {
        String productId = product(100, 10);
        String customerId = customer(10_000);
        Map<String, Object> body = Map.of("customerId", customerId, "lines", List.of(Map.of("productId", productId, "quantity", 1)));

        String first = api.postOrder(body, "invoice-42").body().path("orderId").asText();
        String second = api.postOrder(body, "invoice-42").body().path("orderId").asText();

        assertThat(second).isEqualTo(first);
        assertThat(api.awaitTerminal(first).path("status").asText()).isEqualTo("CONFIRMED");
        String afterTheEnd = api.postOrder(body, "invoice-42").body().path("orderId").asText();
        assertThat(afterTheEnd).isEqualTo(first);

        // A second saga would sell and charge again within about 200 ms: the books must hold still for 3 s.
        org.awaitility.Awaitility.await("one sale and one charge, held").during(java.time.Duration.ofSeconds(3))
                .atMost(java.time.Duration.ofSeconds(10)).pollInterval(java.time.Duration.ofMillis(100))
                .until(() -> api.stock(productId).path("sold").asLong() == 1
                        && api.wallet(customerId).path("charged").asLong() == 100);
        assertThat(api.awaitTerminal(first).path("status").asText()).isEqualTo("CONFIRMED");
    }

    @Test
    void invalidOrdersGetProblemDetailsAndNothingIsProduced() {
        for (String body : List.of("{\"customerId\":\"c\",\"lines\":[]}",
                "{\"customerId\":\" \",\"lines\":[{\"productId\":\"p\",\"quantity\":1}]}",
                "{\"customerId\":\"c\",\"lines\":[{\"productId\":\"p\",\"quantity\":0}]}",
                "{\"customerId\":\"c\",\"lines\":[{\"productId\":\"p\",\"quantity\":\"many\"}]}",
                "{not json")) {
            Api.Response response = api.postOrder(body, null);
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(response.contentType()).as(body).startsWith("application/problem+json");
            assertThat(response.body().path("detail").asText()).as(body).isNotBlank();
        }
        assertThat(api.order(UUID.randomUUID().toString(), 0).status()).isEqualTo(404);
    }

    @Test
    void hundredBuyersRaceForTheLastUnitAndExactlyOneWins() throws Exception {
        String productId = product(999, 1);
        List<String> customers = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String customerId = id("R" + i);
            assertThat(api.credit(customerId, 10_000).status()).isEqualTo(202);
            customers.add(customerId);
        }
        await("wallets credited", () -> customers.stream().allMatch(c -> api.wallet(c).path("balance").asLong() == 10_000));

        long start = System.nanoTime();
        List<JsonNode> outcomes = new ArrayList<>();
        try (ExecutorService buyers = Executors.newFixedThreadPool(100)) {
            List<CompletableFuture<JsonNode>> racing = customers.stream()
                    .map(c -> CompletableFuture.supplyAsync((Supplier<JsonNode>) () -> {
                        Api.Response placed = api.placeOrder(c, productId, 1);
                        assertThat(placed.status()).isEqualTo(202);
                        return api.awaitTerminal(placed.body().path("orderId").asText());
                    }, buyers))
                    .toList();
            for (CompletableFuture<JsonNode> future : racing) {
                outcomes.add(future.get());
            }
        }
        System.out.printf("[e2e] race, 100 concurrent orders for 1 unit, all terminal after %d ms%n",
                (System.nanoTime() - start) / 1_000_000);

        assertThat(outcomes).filteredOn(o -> o.path("status").asText().equals("CONFIRMED")).hasSize(1);
        assertThat(outcomes).filteredOn(o -> o.path("status").asText().equals("CANCELLED")
                && o.path("reason").asText().equals("OUT_OF_STOCK")).hasSize(99);
        await("stock settled", () -> api.stock(productId).path("sold").asLong() == 1);
        JsonNode stock = api.stock(productId);
        assertThat(stock.path("available").asLong()).isZero();
        assertThat(stock.path("reserved").asLong()).isZero();
        String winner = outcomes.stream().filter(o -> o.path("status").asText().equals("CONFIRMED"))
                .findFirst().orElseThrow().path("customerId").asText();
        for (String customerId : customers) {
            JsonNode wallet = api.wallet(customerId);
            assertThat(wallet.path("balance").asLong()).as(customerId)
                    .isEqualTo(customerId.equals(winner) ? 10_000 - 999 : 10_000);
            if (!customerId.equals(winner)) {
                assertThat(wallet.path("charged").asLong()).as(customerId).isZero();
            }
        }
    }
}
