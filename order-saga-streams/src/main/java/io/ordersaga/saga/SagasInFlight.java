package io.ordersaga.saga;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.ordersaga.common.spring.StoreQueries;
import io.ordersaga.events.OrderStatus;
import io.ordersaga.saga.SagaSearch.Stats;

import java.time.Clock;
import java.util.List;

/**
 * The gauge {@code ordersaga.sagas.in.flight}, by {@code status} (RESERVING, PAYING): the sagas of this instance's
 * partitions in that status now, from a scan of the saga store ({@link LocalSagas}, {@link SagaSearch#stats}). Each
 * instance counts its own partitions, so the sum over the instances is the system's figure. A scan is taken at most
 * once every {@link #REFRESH_MS} whatever the scrape rate (about 1 to 2 s of one core per million sagas); while the
 * store is not queryable (a rebalance) the gauge reads NaN, which Prometheus shows as a gap.
 */
public final class SagasInFlight implements MeterBinder {

    /** How old a scan may be before a scrape takes a new one, in ms. */
    public static final long REFRESH_MS = 10_000;

    private final LocalSagas sagas;
    private final Clock clock;
    private Stats last;
    private long lastAtMs = Long.MIN_VALUE;

    /**
     * @param sagas this instance's partitions of the saga store
     * @param clock the wall clock the refresh interval and the ages are measured on
     */
    public SagasInFlight(LocalSagas sagas, Clock clock) {
        this.sagas = sagas;
        this.clock = clock;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (OrderStatus status : List.of(OrderStatus.RESERVING, OrderStatus.PAYING)) {
            Gauge.builder("ordersaga.sagas.in.flight", this, gauges -> gauges.count(status))
                    .description("Sagas of this instance's partitions in this status now").tag("status", status.name())
                    .register(registry);
        }
    }

    /** The sagas in {@code status} at the latest scan, or NaN when the store cannot be read. */
    synchronized double count(OrderStatus status) {
        long nowMs = clock.millis();
        if (nowMs - lastAtMs >= REFRESH_MS || last == null) {
            try {
                last = sagas.scan(all -> SagaSearch.stats(all, REFRESH_MS, nowMs));
            } catch (StoreQueries.UnavailableException e) {
                last = null;
            }
            lastAtMs = nowMs;
        }
        return last == null ? Double.NaN
                : last.inFlight().getOrDefault(status.name(), List.of()).stream().mapToLong(Long::longValue).sum();
    }
}
