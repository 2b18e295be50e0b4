package io.ordersaga.saga;

import io.ordersaga.common.spring.StoreQueries;
import io.ordersaga.events.OrderSagaState;
import io.ordersaga.events.OrderStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static io.ordersaga.saga.SagaScenario.line;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link SagasInFlight} over the saga store of a TopologyTestDriver: counts by status, one scan per refresh interval. */
class SagasInFlightTest {

    private final SagaScenario saga = new SagaScenario().givenProduct("P1", "Mug", 450);
    private final AtomicInteger scans = new AtomicInteger();
    private Instant now = Instant.parse("2026-12-03T12:00:00Z");
    private boolean queryable = true;

    private final LocalSagas store = new LocalSagas(null) {
        @Override
        public <T> T scan(Function<Iterator<OrderSagaState>, T> query) {
            if (!queryable) {
                throw new StoreQueries.UnavailableException("rebalancing");
            }
            scans.incrementAndGet();
            return saga.query((sagas, nowMs) -> query.apply(sagas));
        }
    };
    private final SagasInFlight gauges = new SagasInFlight(store, new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    });

    @AfterEach
    void close() {
        saga.close();
    }

    @Test
    void countsTheSagasReservingAndPayingFromOneScanPerRefreshInterval() {
        saga.whenPlaced("o1", "c1", line("P1", 1)).whenReserved("o1", "P1", 1)
                .whenPlaced("o2", "c2", line("P1", 1))
                .whenPlaced("o3", "c3", line("P1", 1)).whenReserved("o3", "P1", 1).whenCharged("o3", "c3", 450);

        assertThat(gauges.count(OrderStatus.PAYING)).isEqualTo(1);
        assertThat(gauges.count(OrderStatus.RESERVING)).isEqualTo(1);
        assertThat(scans).as("both statuses from one scan").hasValue(1);

        saga.whenReserved("o2", "P1", 1);
        now = now.plus(Duration.ofMillis(SagasInFlight.REFRESH_MS - 1));
        assertThat(gauges.count(OrderStatus.PAYING)).as("within the refresh interval").isEqualTo(1);
        now = now.plus(Duration.ofMillis(1));
        assertThat(gauges.count(OrderStatus.PAYING)).isEqualTo(2);
        assertThat(gauges.count(OrderStatus.RESERVING)).isZero();
        assertThat(scans).hasValue(2);
    }

    @Test
    void readsNaNWhileTheStoreIsNotQueryable() {
        queryable = false;
        assertThat(gauges.count(OrderStatus.PAYING)).isNaN();
        queryable = true;
        assertThat(gauges.count(OrderStatus.PAYING)).as("the next scrape scans again").isZero();
    }
}
