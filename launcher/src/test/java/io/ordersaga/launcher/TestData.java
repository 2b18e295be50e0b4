package io.ordersaga.launcher;

import org.awaitility.Awaitility;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/** Test data made through the API, with fresh ids so tests sharing the system never share data. */
final class TestData {

    private final Api api;

    TestData(Api api) {
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

    /** Creates a product with stock and waits until the saga's catalog and inventory show it. */
    String product(long pricePence, long stock) {
        String productId = id("P");
        assertThat(api.putProduct(productId, "Product " + productId, pricePence).status()).isEqualTo(202);
        await("catalog has " + productId, () -> api.get("/products/" + productId).status() == 200);
        if (stock > 0) {
            assertThat(api.adjustStock(productId, stock).status()).isEqualTo(202);
            await("stock of " + productId, () -> api.stock(productId).path("available").asLong() == stock);
        }
        return productId;
    }

    /** Creates a customer with a credited wallet and waits until payments shows it. */
    String customer(long creditPence) {
        String customerId = id("C");
        assertThat(api.credit(customerId, creditPence).status()).isEqualTo(202);
        await("wallet of " + customerId, () -> api.wallet(customerId).path("balance").asLong() == creditPence);
        return customerId;
    }
}
