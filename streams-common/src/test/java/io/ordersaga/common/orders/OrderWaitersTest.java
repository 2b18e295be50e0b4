package io.ordersaga.common.orders;

import io.ordersaga.events.OrderEvent;
import io.ordersaga.events.OrderStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class OrderWaitersTest {

    private static final long LONG_WAIT_MS = 30_000;

    private final OrderWaiters waiters = new OrderWaiters();
    private final Map<String, OrderEvent> store = new ConcurrentHashMap<>();
    private final ExecutorService pollers = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stop() {
        pollers.shutdownNow();
    }

    private static OrderEvent order(OrderStatus status, long updatedMs) {
        return new OrderEvent("o-1", "17850", status, null, null, List.of(), 0L, "GBP",
                Instant.ofEpochMilli(0), Instant.ofEpochMilli(updatedMs));
    }

    /** The orders processor: writes the store, then notifies. */
    private void write(OrderEvent order) {
        store.put(order.getOrderId(), order);
        waiters.orderChanged(order.getOrderId());
    }

    private CompletableFuture<OrderEvent> poll(long waitMs, Function<String, OrderEvent> read) {
        return CompletableFuture.supplyAsync(() -> waiters.awaitTerminal("o-1", waitMs, read), pollers);
    }

    /** A long poll of o-1 whose reads of the store are counted in {@code reads}. */
    private CompletableFuture<OrderEvent> pollCountingReads(AtomicInteger reads) {
        return poll(LONG_WAIT_MS, id -> {
            reads.incrementAndGet();
            return store.get(id);
        });
    }

    @Test
    void answersATerminalOrderAtOnce() {
        store.put("o-1", order(OrderStatus.CONFIRMED, 5));
        long start = System.nanoTime();
        assertThat(waiters.awaitTerminal("o-1", LONG_WAIT_MS, store::get).getStatus()).isEqualTo(OrderStatus.CONFIRMED);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void waitsThroughIntermediateStatesUntilTerminal() throws Exception {
        store.put("o-1", order(OrderStatus.PENDING, 1));
        AtomicInteger reads = new AtomicInteger();
        CompletableFuture<OrderEvent> answer = pollCountingReads(reads);
        await().atMost(Duration.ofSeconds(5)).until(() -> reads.get() >= 1);
        write(order(OrderStatus.RESERVING, 2));
        await().atMost(Duration.ofSeconds(5)).until(() -> reads.get() >= 2);
        assertThat(answer).isNotDone();
        write(order(OrderStatus.CONFIRMED, 3));

        assertThat(answer.get(5, TimeUnit.SECONDS).getStatus()).isEqualTo(OrderStatus.CONFIRMED);
    }

    @Test
    void doesNotLoseAWakeUpThatComesBetweenTheReadAndTheWait() throws Exception {
        store.put("o-1", order(OrderStatus.PAYING, 1));
        AtomicInteger reads = new AtomicInteger();
        // The first read returns PAYING, and the processor writes CONFIRMED before the poller starts waiting.
        CompletableFuture<OrderEvent> answer = poll(LONG_WAIT_MS, id -> {
            OrderEvent read = store.get(id);
            if (reads.getAndIncrement() == 0) {
                write(order(OrderStatus.CONFIRMED, 2));
            }
            return read;
        });

        assertThat(answer.get(5, TimeUnit.SECONDS).getStatus()).isEqualTo(OrderStatus.CONFIRMED);
    }

    @Test
    void waitsForAnOrderThatIsNotInTheReadModelYet() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        CompletableFuture<OrderEvent> answer = pollCountingReads(reads);
        await().atMost(Duration.ofSeconds(5)).until(() -> reads.get() >= 1);
        write(order(OrderStatus.REJECTED, 1));

        assertThat(answer.get(5, TimeUnit.SECONDS).getStatus()).isEqualTo(OrderStatus.REJECTED);
    }

    @Test
    void readsAgainWithinASliceWithoutAWakeUpSoAReadCanEndTheWait() {
        AtomicInteger reads = new AtomicInteger();
        // No wake-up comes (the order's partition moved to another instance); the second read says so by throwing.
        CompletableFuture<OrderEvent> answer = poll(LONG_WAIT_MS, id -> {
            if (reads.getAndIncrement() == 0) {
                return order(OrderStatus.RESERVING, 1);
            }
            throw new IllegalStateException("o-1 moved to another instance");
        });

        assertThatThrownBy(() -> answer.get(OrderWaiters.RECHECK_MS + 4_000, TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class).hasRootCauseMessage("o-1 moved to another instance");
        assertThat(reads).hasValue(2);
    }

    @Test
    void answersTheLatestNonTerminalSnapshotAfterWaitMs() {
        store.put("o-1", order(OrderStatus.RESERVING, 1));
        long start = System.nanoTime();
        OrderEvent answer = waiters.awaitTerminal("o-1", 200, store::get);

        assertThat(answer.getStatus()).isEqualTo(OrderStatus.RESERVING);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void keepsTheLastSnapshotWhenALaterReadFindsNothing() {
        AtomicInteger reads = new AtomicInteger();
        // The order's partition moved to another instance while waiting: the local store no longer has it.
        OrderEvent answer = waiters.awaitTerminal("o-1", 100,
                id -> reads.getAndIncrement() == 0 ? order(OrderStatus.PAYING, 1) : null);

        assertThat(answer.getStatus()).isEqualTo(OrderStatus.PAYING);
    }

    @Test
    void answersNullForAnOrderThatStaysUnknown() {
        assertThat(waiters.awaitTerminal("o-1", 0, store::get)).isNull();
        assertThat(waiters.awaitTerminal("o-1", 50, store::get)).isNull();
    }

    @Test
    void rejectsANegativeWait() {
        assertThatThrownBy(() -> waiters.awaitTerminal("o-1", -1, store::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    }

    @Test
    void notifyingAnOrderNobodyWaitsForIsANoOp() {
        waiters.orderChanged("o-unwatched");
        store.put("o-1", order(OrderStatus.CANCELLED, 1));
        assertThat(waiters.awaitTerminal("o-1", 0, store::get).getStatus()).isEqualTo(OrderStatus.CANCELLED);
    }
}
