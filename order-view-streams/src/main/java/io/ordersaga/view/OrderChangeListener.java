package io.ordersaga.view;

/**
 * Told by the read model's orders processor, on the stream thread, each time it has written a newer snapshot of
 * an order to the {@link OrderViewTopology#ORDERS_STORE} state store; used to wake long polls ({@link OrderWaiters}).
 *
 * <p>Implementations must be fast and must not throw: they run inside the processor, once per stored snapshot.
 * A call is a hint with no data, and it may repeat for one write (a task that fails before its commit processes
 * its records again), so a listener must be idempotent; state-store restoration from the changelog calls nothing.
 */
@FunctionalInterface
public interface OrderChangeListener {

    /** A listener that does nothing: the default, and what topology tests without long polls use. */
    OrderChangeListener NONE = orderId -> {
    };

    /**
     * The snapshot of {@code orderId} in the orders store has just changed; a read now returns it.
     *
     * @param orderId the order, the key of the orders store
     */
    void orderChanged(String orderId);
}
