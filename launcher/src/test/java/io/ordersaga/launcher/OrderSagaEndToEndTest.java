package io.ordersaga.launcher;

import io.ordersaga.demo.client.OrderApi;
import io.ordersaga.demo.client.OrderApi.OrderView;
import io.ordersaga.demo.client.OrderApi.Stock;
import io.ordersaga.demo.client.OrderApi.Wallet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import static io.ordersaga.launcher.TestData.await;
import static io.ordersaga.launcher.TestData.id;
import static io.ordersaga.launcher.TestData.orderBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The saga end to end on the real broker and registry, all five services, over HTTP: the happy path,
 * one line of several out of stock, a declined payment, and 100 buyers racing for the last unit.
 */
@ExtendWith(RunningSystem.class)
class OrderSagaEndToEndTest {

    private final OrderApi api;
    private final TestData data;

    OrderSagaEndToEndTest(RunningSystem system) {
        api = system.api();
        data = system.data();
    }

    @Test
    void happyPathConfirmsChargesAndSells() {
        String productId = data.product(250, 10);
        String customerId = data.customer(10_000);

        long start = System.nanoTime();
        OrderApi.Response placed = api.exchange("POST", "/orders", orderBody(customerId, productId, 3), Map.of());
        assertThat(placed.status()).isEqualTo(202);
        assertThat(placed.body().path("status").asString()).isEqualTo("PENDING");
        String orderId = placed.body().path("orderId").asString();
        assertThat(placed.location()).endsWith("/orders/" + orderId);

        data.awaitTerminal(orderId);
        long latencyMs = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("[e2e] one order, POST to CONFIRMED: %d ms%n", latencyMs);

        JsonNode order = api.get("/orders/" + orderId).body();
        assertThat(order.path("status").asString()).isEqualTo("CONFIRMED");
        assertThat(order.path("total").asLong()).isEqualTo(750);
        assertThat(order.path("currency").asString()).isEqualTo("GBP");
        assertThat(order.path("lines").get(0).path("unitPrice").asLong()).isEqualTo(250);
        assertThat(order.path("lines").get(0).path("productName").asString()).isEqualTo("Product " + productId);
        await("stock committed", () -> api.stock(productId).orElseThrow().sold() == 3);
        Stock stock = api.stock(productId).orElseThrow();
        assertThat(stock.available()).isEqualTo(7);
        assertThat(stock.reserved()).isZero();
        assertThat(api.wallet(customerId).balance()).isEqualTo(10_000 - 750);

        assertThat(api.customerOrders(customerId).getFirst().orderId()).isEqualTo(orderId);
    }

    @Test
    void oneLineOutOfStockCancelsTheWholeOrderAndReleasesTheOthers() {
        String plenty = data.product(100, 50);
        String alsoPlenty = data.product(300, 50);
        String scarce = data.product(200, 1);
        String customerId = data.customer(100_000);

        String orderId = data.place(customerId, plenty, 5, scarce, 2, alsoPlenty, 1);
        OrderView order = data.awaitTerminal(orderId);

        assertThat(order.status()).isEqualTo("CANCELLED");
        assertThat(order.reason()).isEqualTo("OUT_OF_STOCK");
        for (String productId : List.of(plenty, alsoPlenty)) {
            await("released " + productId, () -> api.stock(productId).orElseThrow().available() == 50
                    && api.stock(productId).orElseThrow().reserved() == 0);
        }
        Stock scarceStock = api.stock(scarce).orElseThrow();
        assertThat(scarceStock.available()).isEqualTo(1);
        assertThat(scarceStock.reserved()).isZero();
        Wallet wallet = api.wallet(customerId);
        assertThat(wallet.balance()).isEqualTo(100_000);
        assertThat(wallet.charged()).isZero();
    }

    @Test
    void declinedPaymentReleasesTheStock() {
        String productId = data.product(5_000, 4);
        String customerId = data.customer(1_000);

        String orderId = data.place(customerId, productId, 2);
        OrderView order = data.awaitTerminal(orderId);

        assertThat(order.status()).isEqualTo("CANCELLED");
        assertThat(order.reason()).isEqualTo("PAYMENT_DECLINED");
        await("released", () -> api.stock(productId).orElseThrow().available() == 4);
        assertThat(api.stock(productId).orElseThrow().reserved()).isZero();
        assertThat(api.wallet(customerId).balance()).isEqualTo(1_000);
    }

    @Test
    void unknownProductIsRejected() {
        String customerId = data.customer(1_000);
        String orderId = data.place(customerId, id("NOPE"), 1);
        OrderView order = data.awaitTerminal(orderId);
        assertThat(order.status()).isEqualTo("REJECTED");
        assertThat(order.reason()).isEqualTo("UNKNOWN_PRODUCT");
    }

    @Test
    void sameIdempotencyKeyGivesTheSameOrderAndOneSaga() {
        String productId = data.product(100, 10);
        String customerId = data.customer(10_000);
        Supplier<String> placeInvoice42 = () -> api.exchange("POST", "/orders", orderBody(customerId, productId, 1),
                Map.of("Idempotency-Key", "invoice-42")).body().path("orderId").asString();

        String first = placeInvoice42.get();
        String second = placeInvoice42.get();

        assertThat(second).isEqualTo(first);
        assertThat(data.awaitTerminal(first).status()).isEqualTo("CONFIRMED");
        String afterTheEnd = placeInvoice42.get();
        assertThat(afterTheEnd).isEqualTo(first);

        // A second saga would sell and charge again within about 200 ms: the books must hold still for 3 s.
        org.awaitility.Awaitility.await("one sale and one charge, held").during(java.time.Duration.ofSeconds(3))
                .atMost(java.time.Duration.ofSeconds(10)).pollInterval(java.time.Duration.ofMillis(100))
                .until(() -> api.stock(productId).orElseThrow().sold() == 1
                        && api.wallet(customerId).charged() == 100);
        assertThat(data.awaitTerminal(first).status()).isEqualTo("CONFIRMED");
    }

    @Test
    void invalidOrdersGetProblemDetailsAndNothingIsProduced() {
        for (String body : List.of("{\"customerId\":\"c\",\"lines\":[]}",
                "{\"customerId\":\" \",\"lines\":[{\"productId\":\"p\",\"quantity\":1}]}",
                "{\"customerId\":\"c\",\"lines\":[{\"productId\":\"p\",\"quantity\":0}]}",
                "{\"customerId\":\"c\",\"lines\":[{\"productId\":\"p\",\"quantity\":\"many\"}]}",
                "{not json")) {
            OrderApi.Response response = api.exchange("POST", "/orders", body, Map.of());
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(response.contentType()).as(body).startsWith("application/problem+json");
            assertThat(response.body().path("detail").asString()).as(body).isNotBlank();
        }
        assertThat(api.get("/orders/" + UUID.randomUUID()).status()).isEqualTo(404);
    }

    @Test
    void hundredBuyersRaceForTheLastUnitAndExactlyOneWins() throws Exception {
        String productId = data.product(999, 1);
        List<String> customers = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String customerId = id("R" + i);
            assertThat(data.credit(customerId, 10_000).status()).isEqualTo(202);
            customers.add(customerId);
        }
        await("wallets credited", () -> customers.stream().allMatch(c -> api.wallet(c).balance() == 10_000));

        long start = System.nanoTime();
        List<OrderView> outcomes = new ArrayList<>();
        try (ExecutorService buyers = Executors.newFixedThreadPool(100)) {
            List<CompletableFuture<OrderView>> racing = customers.stream()
                    .map(c -> CompletableFuture.supplyAsync(() -> data.awaitTerminal(data.place(c, productId, 1)), buyers))
                    .toList();
            for (CompletableFuture<OrderView> future : racing) {
                outcomes.add(future.get());
            }
        }
        System.out.printf("[e2e] race, 100 concurrent orders for 1 unit, all terminal after %d ms%n",
                (System.nanoTime() - start) / 1_000_000);

        assertThat(outcomes).filteredOn(o -> o.status().equals("CONFIRMED")).hasSize(1);
        assertThat(outcomes).filteredOn(o -> o.status().equals("CANCELLED") && "OUT_OF_STOCK".equals(o.reason())).hasSize(99);
        await("stock settled", () -> api.stock(productId).orElseThrow().sold() == 1);
        Stock stock = api.stock(productId).orElseThrow();
        assertThat(stock.available()).isZero();
        assertThat(stock.reserved()).isZero();
        String winner = outcomes.stream().filter(o -> o.status().equals("CONFIRMED")).findFirst().orElseThrow().customerId();
        for (String customerId : customers) {
            Wallet wallet = api.wallet(customerId);
            assertThat(wallet.balance()).as(customerId)
                    .isEqualTo(customerId.equals(winner) ? 10_000 - 999 : 10_000);
            if (!customerId.equals(winner)) {
                assertThat(wallet.charged()).as(customerId).isZero();
            }
        }
    }
}
