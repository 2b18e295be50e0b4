package io.ordersaga.saga;

import io.ordersaga.events.OrderSagaState;
import io.ordersaga.events.OrderStatus;
import io.ordersaga.events.PlaceOrder;
import io.ordersaga.events.Product;
import io.ordersaga.events.RequestedLine;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The pure state machine: the contract of {@link OrderSaga.Step} the processor relies on. */
class OrderSagaTest {

    private static final long T0 = 1_750_000_000_000L;
    private static final Map<String, Product> CATALOG = Map.of("P1", new Product("P1", "Mug", 450L, Instant.EPOCH));

    private final OrderSaga.Timings config = OrderSaga.Timings.defaults();
    private final OrderSaga saga = new OrderSaga(config);

    private OrderSagaState placed() {
        OrderSaga.Step step = saga.apply(null, null, new SagaInput.Place("o1", new PlaceOrder("c1", null,
                List.of(new RequestedLine("P1", 1))), T0), T0, CATALOG::get);
        return step.state();
    }

    @Test
    void placingSetsTheReservationDeadline() {
        OrderSagaState state = placed();
        assertThat(state.getOrder().getStatus()).isEqualTo(OrderStatus.RESERVING);
        assertThat(state.getDeadline()).isEqualTo(T0 + config.reservationTimeoutMs());
        assertThat(state.getChargeRequested()).isFalse();
    }

    @Test
    void anInputThatChangesNothingReturnsTheSameInstanceAndNoOutput() {
        OrderSagaState state = placed();
        OrderSaga.Step duplicate = saga.apply(state, null, new SagaInput.Place("o1", new PlaceOrder("c1", null, List.of()), T0), T0 + 5, CATALOG::get);
        assertThat(duplicate.state()).isSameAs(state);
        assertThat(duplicate.outputs()).isEmpty();
    }

    @Test
    void aTimeoutBeforeTheDeadlineChangesNothing() {
        OrderSagaState state = placed();
        OrderSaga.Step early = saga.apply(state, null, new SagaInput.Timeout("o1"), state.getDeadline() - 1, CATALOG::get);
        assertThat(early.state()).isSameAs(state);
        assertThat(early.outputs()).isEmpty();
    }

    @Test
    void aTimeoutAfterRetentionDeletesATerminalSaga() {
        OrderSagaState cancelled = saga.apply(placed(), null, new SagaInput.Cancel("o1", "c1"), T0 + 10, CATALOG::get).state();
        assertThat(cancelled.getDeadline()).isEqualTo(T0 + 10 + config.retentionMs());

        OrderSaga.Step expired = saga.apply(cancelled, null, new SagaInput.Timeout("o1"), cancelled.getDeadline(), CATALOG::get);
        assertThat(expired.state()).isNull();
        assertThat(expired.outputs()).isEmpty();
    }

    @Test
    void aTimeoutForAnUnknownSagaChangesNothing() {
        OrderSaga.Step step = saga.apply(null, null, new SagaInput.Timeout("o1"), T0, CATALOG::get);
        assertThat(step.state()).isNull();
        assertThat(step.outputs()).isEmpty();
    }
}
