package io.ordersaga.common.orders;

/**
 * Told after each new snapshot of an order: by the read model (order-view-streams), on the stream thread, after each
 * update of its orders table (one per order-events record, once the store holds it), and by order-api's own
 * subscription to order-events once its recent-orders map holds the record; used to wake long polls
 * ({@link OrderWaiters}). An in-memory wake-up: it writes nothing to Kafka.
 *
 * <p>Implementations must be fast and must not throw: they run inside a processor, once per update. A call is a
 * hint with no data, and it may repeat for one snapshot (a task that fails before its commit processes its records
 * again; a record the saga wrote twice), so a listener must be idempotent; restoring the store from its changelog
 * calls nothing.
 */
@FunctionalInterface
public interface OrderChangeListener {

    /** A listener that does nothing: the default, and what topology tests without long polls use. */
    OrderChangeListener NONE = orderId -> {
    };

    /**
     * The orders store (or map) has just taken a record of {@code orderId}; a read now returns it.
     *
     * @param orderId the order, the key of order-events and of the orders store
     */
    void orderChanged(String orderId);
}
