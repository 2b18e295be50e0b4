package io.ordersaga.api;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ordersaga.events.OrderEvent;
import io.ordersaga.events.OrderReason;
import io.ordersaga.events.OrderStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link OrderMetrics}: steps timed from the snapshots' timestamps, each end counted once. */
class OrderMetricsTest {

    private static final Instant CREATED = Instant.parse("2026-12-03T10:00:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final OrderMetrics metrics = new OrderMetrics(registry);

    @Test
    void aConfirmedOrderTimesEachStepAndEndsOnce() {
        OrderEvent reserving = snapshot(OrderStatus.RESERVING, null, 40);
        OrderEvent paying = snapshot(OrderStatus.PAYING, null, 120);
        OrderEvent confirmed = snapshot(OrderStatus.CONFIRMED, null, 200);
        metrics.observed(null, reserving);
        metrics.observed(reserving, paying);
        metrics.observed(paying, confirmed);
        metrics.observed(confirmed, confirmed);

        assertThat(totalMs("placed-to-reserved")).isEqualTo(120);
        assertThat(totalMs("reserved-to-charged")).isEqualTo(80);
        assertThat(totalMs("placed-to-terminal")).isEqualTo(200);
        assertThat(step("placed-to-terminal").count()).as("the repeated snapshot is not a second end").isEqualTo(1);
        assertThat(ended("CONFIRMED", "none")).isEqualTo(1);
    }

    @Test
    void aCancelledOrderIsCountedByItsReasonAndNotCharged() {
        metrics.observed(null, snapshot(OrderStatus.PAYING, null, 100));
        metrics.observed(snapshot(OrderStatus.PAYING, null, 100), snapshot(OrderStatus.CANCELLED, OrderReason.TIMEOUT, 30_100));

        assertThat(ended("CANCELLED", "TIMEOUT")).isEqualTo(1);
        assertThat(step("reserved-to-charged").count()).isZero();
        assertThat(totalMs("placed-to-terminal")).isEqualTo(30_100);
    }

    @Test
    void anEndSeenWithoutEarlierSnapshotsIsStillCountedAndPlacementsAreCounted() {
        metrics.observed(null, snapshot(OrderStatus.REJECTED, OrderReason.UNKNOWN_PRODUCT, 15));
        metrics.placed();
        metrics.placed();

        assertThat(ended("REJECTED", "UNKNOWN_PRODUCT")).isEqualTo(1);
        assertThat(registry.get("ordersaga.orders.placed").counter().count()).isEqualTo(2);
        assertThat(step("placed-to-reserved").count()).isZero();
    }

    private static OrderEvent snapshot(OrderStatus status, OrderReason reason, long afterMs) {
        return new OrderEvent("o-1", "17850", status, reason, null, List.of(), 0L, "GBP", CREATED, CREATED.plusMillis(afterMs));
    }

    private Timer step(String step) {
        return registry.get("ordersaga.order.step").tag("step", step).timer();
    }

    private long totalMs(String step) {
        return (long) step(step).totalTime(TimeUnit.MILLISECONDS);
    }

    private double ended(String status, String reason) {
        return registry.get("ordersaga.orders.ended").tag("status", status).tag("reason", reason).counter().count();
    }
}
