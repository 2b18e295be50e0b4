package io.ordersaga.api;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.util.List;

/**
 * order-api's own settings, under the prefix {@code ordersaga.api}. Each URL list is comma-separated base URLs of
 * one service's instances ({@code http://host:port}); order-api spreads reads over them round-robin, and any
 * instance forwards a query to the instance that owns the key.
 *
 * @param inventoryUrls inventory-streams instances (stock)
 * @param paymentUrls   payment-streams instances (wallets)
 * @param viewUrls      order-view-streams instances (orders and customers' orders)
 * @param sagaUrls      order-saga-streams instances (the catalog as the saga prices from it); default
 *                      {@code http://127.0.0.1:8084}
 * @param sendTimeoutMs how long a write may take before it fails with 503, in ms (default 5000): the producer's
 *                      {@code max.block.ms} (waiting for metadata or buffer space) and {@code delivery.timeout.ms}
 *                      (until the broker acknowledged it) each
 * @param lookupTimeoutMs how long the read of an order before a write may take, per read-model instance, in ms
 *                      (default 250): the Idempotency-Key reuse check of {@code POST /orders} and the state check of
 *                      a cancel. On the hot path of every keyed order, so short; a late answer counts as none
 *                      (the order is placed, the cancel published when its customer is known)
 * @param recentOrders  how many orders' latest snapshots order-api keeps from its own subscription to order-events
 *                      (default 20000, the least recently updated evicted first; {@link RecentOrders}): long polls
 *                      and the checks before a write read them without asking the read model
 */
@ConfigurationProperties("ordersaga.api")
public record ApiProperties(List<URI> inventoryUrls, List<URI> paymentUrls, List<URI> viewUrls,
                            @DefaultValue("http://127.0.0.1:8084") List<URI> sagaUrls,
                            @DefaultValue("5000") long sendTimeoutMs,
                            @DefaultValue("250") long lookupTimeoutMs,
                            @DefaultValue("20000") int recentOrders) {

    /**
     * @throws IllegalArgumentException when a URL list is missing or empty, sendTimeoutMs is below 100,
     *                                  lookupTimeoutMs below 1 or recentOrders below 1
     */
    public ApiProperties {
        requireUrls("inventory-urls", inventoryUrls);
        requireUrls("payment-urls", paymentUrls);
        requireUrls("view-urls", viewUrls);
        requireUrls("saga-urls", sagaUrls);
        if (sendTimeoutMs < 100) {
            throw new IllegalArgumentException("ordersaga.api.send-timeout-ms must be >= 100 ms, was " + sendTimeoutMs);
        }
        if (lookupTimeoutMs < 1) {
            throw new IllegalArgumentException("ordersaga.api.lookup-timeout-ms must be >= 1 ms, was " + lookupTimeoutMs);
        }
        if (recentOrders < 1) {
            throw new IllegalArgumentException("ordersaga.api.recent-orders must be >= 1, was " + recentOrders);
        }
    }

    private static void requireUrls(String name, List<URI> urls) {
        if (urls == null || urls.isEmpty()) {
            throw new IllegalArgumentException("ordersaga.api." + name + " must list at least one base URL");
        }
    }
}
