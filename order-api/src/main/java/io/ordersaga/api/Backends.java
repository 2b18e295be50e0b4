package io.ordersaga.api;

/**
 * The services order-api reads from, each a set of instances read round-robin.
 *
 * @param inventory  inventory-streams: stock per productId
 * @param payments   payment-streams: wallets per customerId
 * @param view       order-view-streams: orders per orderId, and each customer's orders
 * @param saga       order-saga-streams: the catalog the saga prices orders from
 * @param viewLookup order-view-streams again, with the short read timeout of the checks before a write
 *                   ({@link ApiProperties#lookupTimeoutMs()}); the same instances and connections as view
 */
public record Backends(ServiceInstances inventory, ServiceInstances payments, ServiceInstances view,
                       ServiceInstances saga, ServiceInstances viewLookup) {
}
