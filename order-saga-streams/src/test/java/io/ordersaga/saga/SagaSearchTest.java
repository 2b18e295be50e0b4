package io.ordersaga.saga;

import io.ordersaga.common.json.SagaSummaryJson;
import io.ordersaga.saga.SagaSearch.Stats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.ordersaga.events.OrderStatus.PAYING;
import static io.ordersaga.events.OrderStatus.RESERVING;
import static io.ordersaga.saga.SagaScenario.line;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link SagaSearch} over the saga store of a TopologyTestDriver, filled by real saga inputs. */
class SagaSearchTest {

    private final SagaScenario saga = new SagaScenario(new OrderSaga.Timings(600_000, 600_000, 86_400_000, 1_000))
            .givenProduct("P1", "Mug", 450);

    @AfterEach
    void close() {
        saga.close();
    }

    /** o1 pays from t0, o2 from t0+10 s, o3 reserves from t0+20 s, o4 confirms at t0+20 s. */
    private void fourOrders() {
        saga.whenPlaced("o1", "c1", line("P1", 1)).whenReserved("o1", "P1", 1)
                .whenTimePasses(Duration.ofSeconds(10))
                .whenPlaced("o2", "c2", line("P1", 1)).whenReserved("o2", "P1", 1)
                .whenTimePasses(Duration.ofSeconds(10))
                .whenPlaced("o3", "c3", line("P1", 1))
                .whenPlaced("o4", "c4", line("P1", 2)).whenReserved("o4", "P1", 2).whenCharged("o4", "c4", 900)
                .whenTimePasses(Duration.ofSeconds(5));
    }

    @Test
    void listsTheSagasInOneStatusOlderThanTheGivenAgeOldestFirst() {
        fourOrders();
        List<SagaSummaryJson> paying = saga.query((sagas, now) -> SagaSearch.olderThan(sagas, PAYING, 0, 100, now));
        assertThat(paying).extracting(SagaSummaryJson::orderId).containsExactly("o1", "o2");
        assertThat(paying).extracting(SagaSummaryJson::ageMs).containsExactly(25_000L, 15_000L);
        assertThat(paying.getFirst().total()).isEqualTo(450);

        List<SagaSummaryJson> payingFor20s = saga.query((sagas, now) -> SagaSearch.olderThan(sagas, PAYING, 20_000, 100, now));
        assertThat(payingFor20s).extracting(SagaSummaryJson::orderId).containsExactly("o1");
        List<SagaSummaryJson> oldestPaying = saga.query((sagas, now) -> SagaSearch.olderThan(sagas, PAYING, 0, 1, now));
        assertThat(oldestPaying).extracting(SagaSummaryJson::orderId).containsExactly("o1");
        List<SagaSummaryJson> reserving = saga.query((sagas, now) -> SagaSearch.olderThan(sagas, RESERVING, 0, 100, now));
        assertThat(reserving).extracting(SagaSummaryJson::orderId).containsExactly("o3");
    }

    @Test
    void listingsOfSeveralInstancesMergeOldestFirstUpToTheLimit() {
        SagaSummaryJson a = new SagaSummaryJson("a", "c", "PAYING", 1, 0, 100, 0);
        SagaSummaryJson b = new SagaSummaryJson("b", "c", "PAYING", 1, 0, 200, 0);
        SagaSummaryJson c = new SagaSummaryJson("c", "c", "PAYING", 1, 0, 300, 0);
        assertThat(SagaSearch.merge(List.of(List.of(b), List.of(a, c)), 2)).containsExactly(a, b);
    }

    @Test
    void statsCountPlacementsOutcomesLatencyAndSagasInFlightByAge() {
        fourOrders();
        saga.whenCompensatedByAnOperator("o2");
        Stats stats = saga.query((sagas, now) -> SagaSearch.stats(sagas, 10_000, now));
        assertThat(stats.sagas()).isEqualTo(4);
        assertThat(stats.placed()).isEqualTo(2); // o3 and o4, 5 s ago
        assertThat(stats.ended()).isEqualTo(Map.of("CONFIRMED", 1L, "CANCELLED/ADMIN_CANCELLED", 1L));
        // o4 confirmed at once (0 ms), o2 was cancelled 15 s after placement
        assertThat(stats.latencyPercentileMs(50)).isEqualTo(5L);
        assertThat(stats.latencyPercentileMs(99)).isEqualTo(30_000L);
        // o1 has been PAYING for 25 s (10 to 60 s bucket), o3 RESERVING for 5 s (1 to 10 s bucket)
        assertThat(stats.inFlight()).isEqualTo(Map.of("PAYING", List.of(0L, 0L, 1L, 0L, 0L), "RESERVING", List.of(0L, 1L, 0L, 0L, 0L)));

        Stats doubled = stats.plus(stats);
        assertThat(doubled.placed()).isEqualTo(4);
        assertThat(doubled.ended()).containsEntry("CONFIRMED", 2L);
        assertThat(doubled.inFlight().get("PAYING")).containsExactly(0L, 0L, 2L, 0L, 0L);
        assertThat(SagaSearch.none(10_000).plus(stats)).isEqualTo(stats);
        assertThat(SagaSearch.none(10_000).latencyPercentileMs(50)).isNull();
    }
}
