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
 * <p><b>Orders placed here:</b> once the subscription's position on every partition is fixed ({@link #subscribed}),
 * every order-events record written afterwards reaches it, so for an order this instance placed after that point
 * the read model cannot know more than the subscription: while the subscription's polls succeed,
 * {@link #follows} tells the long poll not to ask the read model (one HTTP request and its 404 saved per order).
 *
 * <p><b>Memory:</b> at most {@code capacity} orders, the least recently written evicted first (an order's snapshot is
 * a few hundred bytes, so the default 20,000 is a few MB), and as many ids of orders placed here. Thread-safe: the
 * subscription's thread writes snapshots, HTTP threads read them and record their placements.
 */
public final class RecentOrders {

    private final Map<String, OrderEvent> latest;
    private final Map<String, Boolean> placedHere;
    private volatile boolean subscribed;
    private volatile boolean polling;
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
        this.placedHere = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
        this.waiters = waiters;
        this.metrics = metrics;
    }

    /**
     * The subscription's position on every partition is fixed (and its polls succeed): every order-events record
     * written from now on reaches {@link #add}.
     */
    public void subscribed() {
        subscribed = true;
        polling = true;
    }

    /** A poll of the subscription succeeded: {@link #follows} holds again for the orders placed here. */
    public void subscriptionPolled() {
        polling = true;
    }

    /** A poll of the subscription failed: until one succeeds, {@link #follows} is false and long polls ask the read model. */
    public void subscriptionFailed() {
        polling = false;
    }

    /**
     * Whether an order placed from now on is followed: call before its write, and pass the answer to
     * {@link #placed} after the write is acknowledged.
     */
    public boolean following() {
        return subscribed;
    }

    /**
     * Records that this instance wrote the order's PlaceOrder.
     *
     * @param followed what {@link #following} answered before the write: only then can every snapshot of the order
     *                 reach the subscription
     */
    public void placed(String orderId, boolean followed) {
        if (followed) {
            synchronized (placedHere) {
                placedHere.put(orderId, Boolean.TRUE);
            }
        }
    }

    /**
     * True when every snapshot of the order reaches this instance's subscription and it is polling: the order was
     * placed here after {@link #subscribed}, not yet evicted, and the last poll succeeded. The read model then
     * cannot hold a newer snapshot than {@link #latest}.
     */
    public boolean follows(String orderId) {
        if (!polling) {
            return false;
        }
        synchronized (placedHere) {
            return placedHere.containsKey(orderId);
        }
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
