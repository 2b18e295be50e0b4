package io.ordersaga.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.ordersaga.events.OrderEvent;
import io.ordersaga.events.OrderStatus;

import java.time.Duration;
import java.util.Objects;

/**
 * order-api's business metrics, in Micrometer (so at {@code /actuator/prometheus}):
 * <ul>
 *   <li>{@code ordersaga.orders.placed}: PlaceOrder requests Kafka acknowledged (a retry with the same
 *       Idempotency-Key counts again; the saga places the order once);</li>
 *   <li>{@code ordersaga.orders.ended} by {@code status} and {@code reason} ("none" for CONFIRMED): orders that
 *       reached a terminal status;</li>
 *   <li>{@code ordersaga.order.step} by {@code step}, a timer with a histogram (Prometheus buckets, seconds):
 *       {@code placed-to-reserved} (createdAt to the PAYING snapshot), {@code reserved-to-charged} (PAYING to
 *       CONFIRMED) and {@code placed-to-terminal}, all from the snapshots' own timestamps (the saga's wall clock).</li>
 * </ul>
 * The last two come from order-api's subscription to order-events ({@link RecentOrders}), which every order-api
 * instance reads whole: each instance's figures describe the whole system since it started (sum the placed
 * counters of all instances, but take one instance's ended and step figures). A snapshot read twice (the saga
 * wrote it again) is counted once, as long as the order's previous snapshot is still among the recent orders.
 */
public final class OrderMetrics {

    private final MeterRegistry registry;
    private final Counter placed;
    private final Timer placedToReserved;
    private final Timer reservedToCharged;
    private final Timer placedToTerminal;

    /** @param registry where the meters go; they are registered at once, so each is scraped from the start */
    public OrderMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.placed = Counter.builder("ordersaga.orders.placed")
                .description("PlaceOrder requests acknowledged by Kafka").register(registry);
        this.placedToReserved = step("placed-to-reserved");
        this.reservedToCharged = step("reserved-to-charged");
        this.placedToTerminal = step("placed-to-terminal");
    }

    private Timer step(String step) {
        return Timer.builder("ordersaga.order.step").tag("step", step).publishPercentileHistogram()
                .description("Time between two steps of an order's saga, from its snapshots' timestamps")
                .register(registry);
    }

    /** Counts one acknowledged PlaceOrder. */
    public void placed() {
        placed.increment();
    }

    /**
     * Records what a new snapshot of an order tells: a step reached, an end.
     *
     * @param previous the order's previous snapshot read by this instance, or null when none is held
     * @param current  the new snapshot
     */
    public void observed(OrderEvent previous, OrderEvent current) {
        OrderStatus was = previous == null ? null : previous.getStatus();
        OrderStatus now = current.getStatus();
        if (now == was) {
            return;
        }
        switch (now) {
            case PAYING -> placedToReserved.record(between(current.getCreatedAt().toEpochMilli(), current));
            case CONFIRMED, CANCELLED, REJECTED -> {
                if (now == OrderStatus.CONFIRMED && was == OrderStatus.PAYING) {
                    reservedToCharged.record(between(previous.getUpdatedAt().toEpochMilli(), current));
                }
                placedToTerminal.record(between(current.getCreatedAt().toEpochMilli(), current));
                Counter.builder("ordersaga.orders.ended").description("Orders that reached a terminal status")
                        .tag("status", now.name())
                        .tag("reason", Objects.toString(current.getReason(), "none"))
                        .register(registry).increment();
            }
            default -> {
            }
        }
    }

    private static Duration between(long fromMs, OrderEvent current) {
        return Duration.ofMillis(Math.max(0, current.getUpdatedAt().toEpochMilli() - fromMs));
    }
}
