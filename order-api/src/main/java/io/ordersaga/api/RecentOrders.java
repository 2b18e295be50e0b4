package io.ordersaga.api;

import io.ordersaga.common.orders.OrderWaiters;
import io.ordersaga.events.OrderEvent;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The latest snapshot of each order that order-api's own subscription to {@code order-events}
 * ({@link OrderEventsSubscription}) has read, bounded, and the long polls it wakes. Holds only what the subscription
 * saw since this instance started (it starts at the end of the topic), so an order it has not seen is asked of the
 * read model; an order it has seen once stays current here, because every later snapshot of that order comes after
 * it on the same partition, until it is evicted.
 *
 * <p><b>Memory:</b> at most {@code capacity} orders, the least recently written evicted first (an order's snapshot is
 * a few hundred bytes, so the default 20,000 is a few MB). Thread-safe: the subscription's thread writes, HTTP threads
 * read.
 */
public final class RecentOrders {

    private final Map<String, OrderEvent> latest;
    private final OrderWaiters waiters;
    private final OrderMetrics metrics;

    /**
     * @param capacity most orders kept, at least 1 ({@link ApiProperties#recentOrders()})
     * @param waiters  the long polls to wake after each snapshot
     * @param metrics  told of each snapshot with the order's previous one
     * @throws IllegalArgumentException when capacity is below 1
     */
    public RecentOrders(int capacity, OrderWaiters waiters, OrderMetrics metrics) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        this.latest = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, OrderEvent> eldest) {
                return size() > capacity;
            }
        };
        this.waiters = waiters;
        this.metrics = metrics;
    }

    /**
     * Keeps {@code order} as its order's latest snapshot (an order-events record, key orderId), then wakes the order's
     * long polls (a waiter that registered before this call either reads this snapshot or is woken by it), and tells
     * the metrics what changed.
     */
    public void add(OrderEvent order) {
        OrderEvent previous;
        synchronized (latest) {
            previous = latest.remove(order.getOrderId());
            latest.put(order.getOrderId(), order);
        }
        waiters.orderChanged(order.getOrderId());
        metrics.observed(previous, order);
    }

    /** The latest snapshot of the order read since this instance started, or null when none is held. */
    public OrderEvent latest(String orderId) {
        synchronized (latest) {
            return latest.get(orderId);
        }
    }
}
