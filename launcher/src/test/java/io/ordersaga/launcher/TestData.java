package io.ordersaga.launcher;

import io.ordersaga.demo.client.OrderApi;
import io.ordersaga.demo.client.OrderApi.OrderView;
import org.awaitility.Awaitility;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Test data made through order-api with the demo's client ({@link OrderApi}), with fresh ids so tests sharing the
 * system never share data, and the few steps every end-to-end test takes: place an order, wait for its end.
 */
final class TestData {

    private final OrderApi api;

    TestData(OrderApi api) {
        this.api = api;
    }

    /** A fresh id with a prefix. */
    static String id(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Polls {@code condition} every 20 ms for up to 30 s, ignoring exceptions meanwhile. */
    static void await(String what, Callable<Boolean> condition) {
        Awaitility.await(what).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .ignoreExceptions().until(condition);
    }

    /** {@code GET path} once on another base URL (a service instance, the registry), with a client of its own. */
    static OrderApi.Response getFrom(String baseUrl, String path) {
        try (OrderApi client = new OrderApi(URI.create(baseUrl))) {
            return client.get(path);
        }
    }

    /** The {@code POST /orders} body for one customer and {@code productId, quantity} pairs. */
    static Map<String, Object> orderBody(String customerId, Object... productAndQuantity) {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (int i = 0; i < productAndQuantity.length; i += 2) {
            lines.add(Map.of("productId", productAndQuantity[i], "quantity", productAndQuantity[i + 1]));
        }
        return Map.of("customerId", customerId, "lines", lines);
    }

    /** Creates a product with stock (units; price in pence) and waits until the saga's catalog and inventory show it. */
    String product(long pricePence, long stock) {
        String productId = id("P");
        assertThat(api.exchange("PUT", "/products/" + productId,
                Map.of("name", "Product " + productId, "unitPrice", pricePence), Map.of()).status()).isEqualTo(202);
        await("catalog has " + productId, () -> api.product(productId).isPresent());
        if (stock > 0) {
            assertThat(api.exchange("POST", "/products/" + productId + "/stock-adjustments",
                    Map.of("delta", stock, "reason", "TEST"), Map.of()).status()).isEqualTo(202);
            await("stock of " + productId, () -> api.stock(productId).orElseThrow().available() == stock);
        }
        return productId;
    }

    /** Creates a customer with a wallet credited with {@code creditPence} and waits until payment shows it. */
    String customer(long creditPence) {
        String customerId = id("C");
        assertThat(credit(customerId, creditPence).status()).isEqualTo(202);
        await("wallet of " + customerId, () -> api.wallet(customerId).balance() == creditPence);
        return customerId;
    }

    /** {@code POST /customers/{id}/wallet/credits} once, without an Idempotency-Key (a new credit each time). */
    OrderApi.Response credit(String customerId, long amountPence) {
        return api.exchange("POST", "/customers/" + customerId + "/wallet/credits", Map.of("amount", amountPence), Map.of());
    }

    /** {@code POST /orders} once, without an Idempotency-Key; checks the 202 and returns the new orderId. */
    String place(String customerId, Object... productAndQuantity) {
        OrderApi.Response placed = api.exchange("POST", "/orders", orderBody(customerId, productAndQuantity), Map.of());
        assertThat(placed.status()).as("POST /orders: %s", placed.body()).isEqualTo(202);
        return placed.body().path("orderId").asString();
    }

    /** {@code POST /orders/{id}/cancel} once, without a body: order-api takes the customer from the read model. */
    OrderApi.Response cancel(String orderId) {
        return api.exchange("POST", "/orders/" + orderId + "/cancel", null, Map.of());
    }

    /** The order as the read model has it now; fails when it is not there. */
    OrderView order(String orderId) {
        return api.order(orderId, 0).orElseThrow(() -> new AssertionError("order " + orderId + " not in the read model"));
    }

    /** Long-polls until the order is terminal (deadline 60 s) and returns it. */
    OrderView awaitTerminal(String orderId) {
        return Awaitility.await("order " + orderId + " terminal").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(10)).ignoreExceptions()
                .until(() -> api.order(orderId, 10_000).orElse(null), view -> view != null && view.terminal());
    }
}
