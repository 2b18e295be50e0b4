package io.ordersaga.common.orders;

import io.ordersaga.events.OrderEvent;
import io.ordersaga.events.OrderStatus;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Long polls on orders, in memory: HTTP threads wait here until an order is terminal, and each new snapshot of an
 * order wakes them ({@link #orderChanged}, an {@link OrderChangeListener}). order-view-streams wakes them after each
 * update of its orders table, for the orders its instance owns; order-api after each order-events record its own
 * subscription reads (all partitions), so its long polls need no hop to the read model.
 *
 * <p><b>No lost wake-up:</b> a waiter registers its future before it reads ({@link #awaitTerminal}). The store (or
 * map) takes the snapshot before it reaches {@link #orderChanged} (the read model's orders table is not cached, so
 * the update is forwarded at once). So either the read already sees the change, or the change's wake-up comes after
 * the registration and completes the future.
 *
 * <p><b>Why an in-memory wake-up is acceptable:</b> it carries no data and changes no state; a woken waiter only
 * reads again. A repeated wake-up (a task processing records again after a failure before its commit, a record the
 * saga wrote twice) costs one extra read; a missing one (a restart, a restoration, the order's partition moving to
 * another instance during a rebalance, an order-events record written before order-api's subscription started) only
 * delays the waiter's next read, which comes at most {@link #RECHECK_MS} later anyway. The answer stays what the
 * read says, never what this class saw.
 *
 * <p><b>Rebalances:</b> the read is the caller's, and it may throw to end the wait: the read model's controller
 * re-checks after every read that this instance still owns the order's partition, and throws when it moved, so the
 * long poll is answered by the new owner instead of waiting here for a wake-up that will not come.
 */
public final class OrderWaiters implements OrderChangeListener {

    /** The longest long poll, in ms: a larger {@code waitMs} is capped to it by the controllers that wait here. */
    public static final long MAX_WAIT_MS = 30_000;

    /**
     * Longest time between two reads of a waiter, in ms, wake-up or not: how late a waiter notices what no wake-up
     * tells it (its order's partition moved to another instance).
     */
    public static final long RECHECK_MS = 1_000;

    private final ConcurrentHashMap<String, Set<CompletableFuture<Void>>> waiting = new ConcurrentHashMap<>();

    /**
     * Wakes every waiter on {@code orderId}; a no-op when there is none. Called after the store (or map) took a
     * snapshot of the order. Never throws.
     */
    @Override
    public void orderChanged(String orderId) {
        Set<CompletableFuture<Void>> woken = waiting.remove(orderId);
        if (woken != null) {
            woken.forEach(f -> f.complete(null));
        }
    }

    /**
     * {@link #awaitTerminal(String, long, Function, Predicate)} on order snapshots: terminal when the snapshot's
     * status is ({@link #isTerminal}).
     *
     * @param read reads the order's snapshot, null when unknown; what it throws ends the wait and is thrown
     * @return the terminal snapshot, or else the last one read (non-terminal), or null when the order stayed unknown
     * @throws IllegalArgumentException when waitMs is negative
     * @throws IllegalStateException    when the calling thread is interrupted while waiting
     */
    public OrderEvent awaitTerminal(String orderId, long waitMs, Function<String, OrderEvent> read) {
        return awaitTerminal(orderId, waitMs, read, order -> isTerminal(order.getStatus()));
    }

    /**
     * Reads the order until it is terminal (CONFIRMED, CANCELLED or REJECTED) or {@code waitMs} has passed:
     * registers for a wake-up, reads with {@code read}, and if the order is unknown or not terminal waits for the
     * wake-up, {@link #RECHECK_MS} or the deadline, whichever comes first, then reads again. An order not known yet
     * (order-api accepted it a moment ago) is waited for as well.
     *
     * @param <T>      what a read returns: an order snapshot, or an answer made of one
     * @param orderId  the order
     * @param waitMs   how long to wait at most, in ms; 0 reads once
     * @param read     reads the order, null when unknown; what it throws ends the wait and is thrown to the caller
     * @param terminal whether a (non-null) read shows the order terminal
     * @return the terminal read, or else the last non-null one (non-terminal), or null when the order stayed unknown
     * @throws IllegalArgumentException when waitMs is negative
     * @throws IllegalStateException    when the calling thread is interrupted while waiting
     */
    public <T> T awaitTerminal(String orderId, long waitMs, Function<String, T> read, Predicate<T> terminal) {
        if (waitMs < 0) {
            throw new IllegalArgumentException("waitMs must be >= 0 ms, was " + waitMs);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        T last = null;
        while (true) {
            CompletableFuture<Void> changed = register(orderId);
            try {
                T order = read.apply(orderId);
                if (order != null) {
                    last = order;
                }
                long remainingNanos = deadline - System.nanoTime();
                if (last != null && terminal.test(last) || remainingNanos <= 0) {
                    return last;
                }
                changed.get(Math.min(remainingNanos, TimeUnit.MILLISECONDS.toNanos(RECHECK_MS)), TimeUnit.NANOSECONDS);
            } catch (TimeoutException sliceOver) {
                // read again: a re-check, or after the deadline the final read, then remainingNanos <= 0 returns
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for order " + orderId, e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("a wake-up future never fails", e);
            } finally {
                unregister(orderId, changed);
            }
        }
    }

    /** True for CONFIRMED, CANCELLED and REJECTED: states the saga never leaves. */
    public static boolean isTerminal(OrderStatus status) {
        return switch (status) {
            case CONFIRMED, CANCELLED, REJECTED -> true;
            case PENDING, RESERVING, PAYING -> false;
        };
    }

    private CompletableFuture<Void> register(String orderId) {
        CompletableFuture<Void> changed = new CompletableFuture<>();
        waiting.compute(orderId, (id, futures) -> {
            Set<CompletableFuture<Void>> set = futures == null ? new HashSet<>(2) : futures;
            set.add(changed);
            return set;
        });
        return changed;
    }

    private void unregister(String orderId, CompletableFuture<Void> changed) {
        waiting.computeIfPresent(orderId, (id, futures) -> {
            futures.remove(changed);
            return futures.isEmpty() ? null : futures;
        });
    }
}
