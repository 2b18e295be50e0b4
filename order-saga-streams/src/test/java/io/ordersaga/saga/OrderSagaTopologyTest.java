package io.ordersaga.saga;

import io.ordersaga.common.EventSerdes;
import io.ordersaga.events.LineReservation;
import io.ordersaga.events.OrderLine;
import io.ordersaga.events.OrderReason;
import io.ordersaga.events.OrderSagaState;
import io.ordersaga.events.OrderStatus;
import io.ordersaga.events.PlaceOrder;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static io.ordersaga.events.OrderReason.ADMIN_CANCELLED;
import static io.ordersaga.events.OrderReason.CUSTOMER_CANCELLED;
import static io.ordersaga.events.OrderReason.INVALID_ORDER;
import static io.ordersaga.events.OrderReason.OUT_OF_STOCK;
import static io.ordersaga.events.OrderReason.PAYMENT_DECLINED;
import static io.ordersaga.events.OrderReason.TIMEOUT;
import static io.ordersaga.events.OrderReason.UNKNOWN_PRODUCT;
import static io.ordersaga.events.OrderStatus.CANCELLED;
import static io.ordersaga.events.OrderStatus.CONFIRMED;
import static io.ordersaga.events.OrderStatus.PAYING;
import static io.ordersaga.events.OrderStatus.REJECTED;
import static io.ordersaga.events.OrderStatus.RESERVING;
import static io.ordersaga.saga.SagaScenario.charge;
import static io.ordersaga.saga.SagaScenario.commit;
import static io.ordersaga.saga.SagaScenario.line;
import static io.ordersaga.saga.SagaScenario.refund;
import static io.ordersaga.saga.SagaScenario.settle;
import static io.ordersaga.saga.SagaScenario.release;
import static io.ordersaga.saga.SagaScenario.reserve;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The saga topology in a TopologyTestDriver, one sequence diagram per test. Catalog: P1 Mug 450p, P2 Tea towel
 * 799p, P3 Teapot 2500p. Timeouts 30 s, retention one day (the defaults) unless a test says otherwise.
 */
class OrderSagaTopologyTest {

    private final SagaScenario saga = new SagaScenario()
            .givenProduct("P1", "Mug", 450)
            .givenProduct("P2", "Tea towel", 799)
            .givenProduct("P3", "Teapot", 2500);

    @AfterEach
    void close() {
        saga.close();
    }

    /** o1 of c1 for a Mug and a Tea towel (1249p) placed: both reservations asked, the order RESERVING. */
    private static SagaScenario placedMugAndTeaTowel(SagaScenario saga) {
        return saga.whenPlaced("o1", "c1", line("P1", 1), line("P2", 1))
                .thenInventory(reserve("P1", "o1", 1), reserve("P2", "o1", 1))
                .thenOrder("o1", RESERVING);
    }

    /** o1 of c1 for a Mug, two Tea towels and a Teapot (4548p) placed: the three reservations asked, the order RESERVING. */
    private static SagaScenario placedMugTwoTeaTowelsAndTeapot(SagaScenario saga) {
        return saga.whenPlaced("o1", "c1", line("P1", 1), line("P2", 2), line("P3", 1))
                .thenInventory(reserve("P1", "o1", 1), reserve("P2", "o1", 2), reserve("P3", "o1", 1))
                .thenOrder("o1", RESERVING);
    }

    /** {@code orderId} of c1 for a Mug placed, reserved and charged (CONFIRMED), and all it sent forgotten. */
    private static SagaScenario confirmedMug(SagaScenario saga, String orderId) {
        return saga.whenPlaced(orderId, "c1", line("P1", 1))
                .whenReserved(orderId, "P1", 1)
                .whenCharged(orderId, "c1", 450)
                .ignoringOutputSoFar();
    }

    @Test
    void oneSubTopologyMergesTheThreeInputsWithoutRepartitioning() {
        TopologyDescription description = OrderSagaTopology.build(OrderSaga.Timings.defaults(), EventSerdes.unregistered())
                .describe();
        assertThat(description.globalStores()).singleElement()
                .satisfies(store -> assertThat(store.source().topicSet()).containsExactly("products"));
        assertThat(description.subtopologies()).singleElement().satisfies(subtopology -> {
            assertThat(subtopology.nodes()).filteredOn(node -> node instanceof TopologyDescription.Source)
                    .flatExtracting(node -> ((TopologyDescription.Source) node).topicSet())
                    .containsExactlyInAnyOrder("order-requests", "inventory-replies", "payment-replies");
            assertThat(subtopology.nodes()).filteredOn(node -> node.name().equals("order-saga")).singleElement()
                    .satisfies(node -> assertThat(((TopologyDescription.Processor) node).stores())
                            .containsExactlyInAnyOrder(OrderSagaTopology.SAGAS.name(), OrderSagaTopology.ENDED_SAGAS.name(),
                                    OrderSagaTopology.DEADLINES.name()));
            assertThat(subtopology.nodes()).filteredOn(node -> node instanceof TopologyDescription.Sink)
                    .extracting(node -> ((TopologyDescription.Sink) node).topic())
                    .containsExactlyInAnyOrder("inventory-commands", "payment-commands", "payment-settlements", "order-events");
        });
    }

    @Test
    void happyPathSingleLine() {
        saga.whenPlaced("o1", "c1", line("P1", 2))
                .thenInventory(reserve("P1", "o1", 2))
                .thenOrder("o1", RESERVING)
                .thenNothingElse();
        assertThat(saga.lastEvent().getLines()).containsExactly(new OrderLine("P1", "Mug", 2, 450L, 900L));
        assertThat(saga.lastEvent().getTotal()).isEqualTo(900);
        assertThat(saga.lastEvent().getCreatedAt()).isEqualTo(SagaScenario.START);

        saga.whenReserved("o1", "P1", 2)
                .thenPayment(charge("c1", "o1", 900))
                .thenOrder("o1", PAYING)
                .thenNothingElse()
                .whenCharged("o1", "c1", 900)
                .thenInventory(commit("P1", "o1"))
                .thenSettlement(settle("c1", "o1", 900))
                .thenOrder("o1", CONFIRMED)
                .thenNothingElse();
        assertThat(saga.lastEvent().getReason()).isNull();
        assertThat(saga.lastEvent().getTotal()).isEqualTo(900);
    }

    @Test
    void multiItemHappyPathSendsOneCommandPerProduct() {
        placedMugTwoTeaTowelsAndTeapot(saga)
                .whenReserved("o1", "P2", 2)
                .whenReserved("o1", "P1", 1)
                .thenNothingElse()
                .whenReserved("o1", "P3", 1)
                .thenPayment(charge("c1", "o1", 450 + 2 * 799 + 2500))
                .thenOrder("o1", PAYING)
                .whenCharged("o1", "c1", 4548)
                .thenInventory(commit("P1", "o1"), commit("P2", "o1"), commit("P3", "o1"))
                .thenSettlement(settle("c1", "o1", 4548))
                .thenOrder("o1", CONFIRMED)
                .thenNothingElse();
    }

    @Test
    void outOfStockOnOneLineReleasesTheOthersAndChargesNothing() {
        placedMugTwoTeaTowelsAndTeapot(saga)
                .whenReserved("o1", "P1", 1)
                .whenOutOfStock("o1", "P2", 2, 1)
                .thenInventory(release("P1", "o1"), release("P3", "o1"))
                .thenPayment()
                .thenOrder("o1", CANCELLED, OUT_OF_STOCK)
                .thenNothingElse();
        assertThat(saga.lastEvent().getReasonDetail()).isEqualTo("P2: requested 2, available 1");
        assertThat(saga.saga("o1").getReservations())
                .containsExactly(LineReservation.RESERVED, LineReservation.REJECTED, LineReservation.REQUESTED);
    }

    @Test
    void paymentDeclinedReleasesEveryLineWithoutRefund() {
        placedMugAndTeaTowel(saga)
                .whenReserved("o1", "P1", 1)
                .whenReserved("o1", "P2", 1)
                .thenPayment(charge("c1", "o1", 1249))
                .thenOrder("o1", PAYING)
                .whenDeclined("o1", "c1", 1249, 1000)
                .thenInventory(release("P1", "o1"), release("P2", "o1"))
                .thenPayment()
                .thenOrder("o1", CANCELLED, PAYMENT_DECLINED)
                .thenNothingElse();
        assertThat(saga.lastEvent().getReasonDetail()).contains("1249").contains("1000");
    }

    @Test
    void unknownProductRejectsTheOrderWithoutCommands() {
        saga.whenPlaced("o1", "c1", line("P1", 1), line("X9", 2), line("X8", 1))
                .thenInventory()
                .thenPayment()
                .thenOrder("o1", REJECTED, UNKNOWN_PRODUCT)
                .thenNothingElse();
        assertThat(saga.lastEvent().getReasonDetail()).isEqualTo("unknown products: X9, X8");
        assertThat(saga.lastEvent().getTotal()).isZero();
        assertThat(saga.lastEvent().getLines()).containsExactly(
                new OrderLine("P1", "Mug", 1, 450L, 450L),
                new OrderLine("X9", null, 2, null, null),
                new OrderLine("X8", null, 1, null, null));
        saga.whenReserved("o1", "P1", 1).thenNothingElse();
    }

    static Stream<PlaceOrder> invalidOrders() {
        return Stream.of(
                new PlaceOrder("c1", null, List.of()),
                new PlaceOrder("c1", null, List.of(line("P1", 1), line("P2", 0))),
                new PlaceOrder("c1", null, List.of(line("P1", -3))),
                new PlaceOrder(" ", null, List.of(line("P1", 1))),
                new PlaceOrder("c1", null, List.of(line("P1", Integer.MAX_VALUE), line("P1", 1))),
                new PlaceOrder("c1", null, List.of(line("P3", Integer.MAX_VALUE), line("P3", Integer.MAX_VALUE - 1),
                        line("P2", Integer.MAX_VALUE))));
    }

    @ParameterizedTest
    @MethodSource("invalidOrders")
    void invalidOrderIsRejected(PlaceOrder order) {
        saga.whenPlaced("o1", order)
                .thenInventory()
                .thenPayment()
                .thenOrder("o1", REJECTED, INVALID_ORDER)
                .thenNothingElse();
        assertThat(saga.lastEvent().getReasonDetail()).isNotBlank();
        assertThat(saga.lastEvent().getTotal()).isZero();
    }

    @Test
    void duplicateLinesAreMergedInFirstAppearanceOrder() {
        saga.whenPlaced("o1", "c1", line("P2", 1), line("P1", 2), line("P2", 3))
                .thenInventory(reserve("P2", "o1", 4), reserve("P1", "o1", 2))
                .thenOrder("o1", RESERVING)
                .thenNothingElse();
        assertThat(saga.lastEvent().getLines()).containsExactly(
                new OrderLine("P2", "Tea towel", 4, 799L, 3196L),
                new OrderLine("P1", "Mug", 2, 450L, 900L));
        assertThat(saga.lastEvent().getTotal()).isEqualTo(4096);
    }

    @Test
    void duplicatePlaceIsIgnored() {
        PlaceOrder order = new PlaceOrder("c1", "idem-1", List.of(line("P1", 1)));
        saga.whenPlaced("o1", order)
                .thenInventory(reserve("P1", "o1", 1))
                .thenOrder("o1", RESERVING)
                .whenPlaced("o1", order)
                .thenNothingElse()
                .whenReserved("o1", "P1", 1)
                .whenCharged("o1", "c1", 450)
                .thenPayment(charge("c1", "o1", 450))
                .thenInventory(commit("P1", "o1"))
                .thenSettlement(settle("c1", "o1", 450))
                .thenOrder("o1", PAYING, CONFIRMED)
                .whenPlaced("o1", order)
                .thenNothingElse();
    }

    @Test
    void duplicateRepliesAndRepliesForOtherQuantitiesOrAmountsChangeNothing() {
        placedMugAndTeaTowel(saga).whenReserved("o1", "P1", 1);
        assertIgnored("a second reservation of P1", s -> s.whenReserved("o1", "P1", 1));
        assertIgnored("a reservation of 2 of the 1 P2 asked", s -> s.whenReserved("o1", "P2", 2));
        saga.whenReserved("o1", "P2", 1)
                .thenPayment(charge("c1", "o1", 1249))
                .thenOrder("o1", PAYING);
        assertIgnored("a second reservation of P2", s -> s.whenReserved("o1", "P2", 1));
        assertIgnored("a charge of 1248 of the 1249 asked", s -> s.whenCharged("o1", "c1", 1248));
        saga.whenCharged("o1", "c1", 1249)
                .thenInventory(commit("P1", "o1"), commit("P2", "o1"))
                .thenSettlement(settle("c1", "o1", 1249))
                .thenOrder("o1", CONFIRMED);
        assertIgnored("a second charge", s -> s.whenCharged("o1", "c1", 1249));
        assertIgnored("a third reservation of P1", s -> s.whenReserved("o1", "P1", 1));
        assertThat(saga.saga("o1").getOrder().getStatus()).isEqualTo(CONFIRMED);
    }

    /** The {@code replies} to o1 (described by {@code what}) send nothing and leave its stored saga as it was. */
    private void assertIgnored(String what, UnaryOperator<SagaScenario> replies) {
        OrderSagaState before = saga.saga("o1");
        replies.apply(saga).thenNothingElse();
        assertThat(saga.saga("o1")).as("o1's saga after " + what).isEqualTo(before);
    }

    @Test
    void repliesForAnUnknownOrderAreCompensated() {
        saga.whenReserved("gone", "P1", 2)
                .thenInventory(release("P1", "gone"))
                .whenCharged("gone", "c7", 900)
                .thenPayment(refund("c7", "gone"))
                .whenOutOfStock("gone", "P2", 1, 0)
                .whenDeclined("gone", "c7", 900, 0)
                .whenCancelled("gone")
                .thenNothingElse();
        assertThat(saga.storedSagas()).isEmpty();
        assertThat(saga.deadlineEntries()).isEmpty();
    }

    @Test
    void reservationTimeoutReleasesEveryLine() {
        placedMugAndTeaTowel(saga)
                .whenReserved("o1", "P1", 1)
                .whenTimePasses(Duration.ofMillis(29_999))
                .thenNothingElse()
                .whenTimePasses(Duration.ofMillis(1))
                .thenInventory(release("P1", "o1"), release("P2", "o1"))
                .thenPayment()
                .thenOrder("o1", CANCELLED, TIMEOUT)
                .thenNothingElse();
        assertThat(saga.lastEvent().getReasonDetail()).isEqualTo("no reservation reply for P2 within 30000 ms");
    }

    @Test
    void paymentTimeoutReleasesEveryLineAndRefundsTheRequestedCharge() {
        placedMugAndTeaTowel(saga)
                .whenTimePasses(Duration.ofSeconds(20))
                .whenReserved("o1", "P1", 1)
                .whenReserved("o1", "P2", 1)
                .thenPayment(charge("c1", "o1", 1249))
                .thenOrder("o1", PAYING)
                .whenTimePasses(Duration.ofSeconds(29))
                .thenNothingElse()
                .whenTimePasses(Duration.ofSeconds(1))
                .thenInventory(release("P1", "o1"), release("P2", "o1"))
                .thenPayment(refund("c1", "o1"))
                .thenOrder("o1", CANCELLED, TIMEOUT)
                .thenNothingElse()
                .whenDeclined("o1", "c1", 1249, 0)
                .thenNothingElse();
    }

    /** The two ways a running order is stopped, each with the reason its CANCELLED snapshot gives. */
    enum Stop {
        CUSTOMER_CANCEL(CUSTOMER_CANCELLED),
        OPERATOR_COMPENSATE(ADMIN_CANCELLED);

        final OrderReason reason;

        Stop(OrderReason reason) {
            this.reason = reason;
        }

        /** Sends this stop for {@code orderId}: a customer's cancel, or an operator's compensate. */
        SagaScenario of(SagaScenario saga, String orderId) {
            return switch (this) {
                case CUSTOMER_CANCEL -> saga.whenCancelled(orderId);
                case OPERATOR_COMPENSATE -> saga.whenCompensatedByAnOperator(orderId);
            };
        }
    }

    /** Where a running order o1 of c1 is when it is stopped: what it sent so far, and the reply it still waits for. */
    enum Running {
        /** P1 and P2 requested, P1 reserved: P2's reservation is outstanding. */
        RESERVING,
        /** P1 x2 reserved and 900p asked for: the charge is outstanding. */
        PAYING;

        /** Places o1 and brings it here, checking what it sends on the way. */
        SagaScenario reach(SagaScenario saga) {
            return switch (this) {
                case RESERVING -> placedMugAndTeaTowel(saga).whenReserved("o1", "P1", 1);
                case PAYING -> saga.whenPlaced("o1", "c1", line("P1", 2))
                        .whenReserved("o1", "P1", 2)
                        .thenInventory(reserve("P1", "o1", 2))
                        .thenPayment(charge("c1", "o1", 900))
                        .thenOrder("o1", OrderStatus.RESERVING, OrderStatus.PAYING);
            };
        }

        /** Exactly what a stop here sends to compensate: every requested line released, and the charge refunded once asked. */
        SagaScenario thenCompensated(SagaScenario saga) {
            return switch (this) {
                case RESERVING -> saga.thenInventory(release("P1", "o1"), release("P2", "o1")).thenPayment();
                case PAYING -> saga.thenInventory(release("P1", "o1")).thenPayment(refund("c1", "o1"));
            };
        }

        /** The outstanding reply arrives after the stop and is compensated alone: P2 released again, or the charge refunded. */
        SagaScenario whenLateReplyThenCompensated(SagaScenario saga) {
            return switch (this) {
                case RESERVING -> saga.whenReserved("o1", "P2", 1).thenInventory(release("P2", "o1")).thenPayment();
                case PAYING -> saga.whenCharged("o1", "c1", 900).thenPayment(refund("c1", "o1")).thenInventory();
            };
        }
    }

    /** Every stop of every running stage. */
    static Stream<Arguments> stopsOfARunningOrder() {
        return Stream.of(Running.values()).flatMap(running -> Stream.of(Stop.values()).map(stop -> Arguments.of(running, stop)));
    }

    @ParameterizedTest(name = "{1} while {0}")
    @MethodSource("stopsOfARunningOrder")
    void aStopCompensatesWhatTheOrderHoldsThenALateReplyAndIgnoresASecondStop(Running running, Stop stop) {
        running.reach(saga);
        running.thenCompensated(stop.of(saga, "o1"))
                .thenOrder("o1", CANCELLED, stop.reason)
                .thenNothingElse();
        running.whenLateReplyThenCompensated(saga).thenNothingElse();
        stop.of(saga, "o1").thenNothingElse();
    }

    @Test
    void operatorCompensateOfATerminalOrUnknownOrderChangesNothing() {
        confirmedMug(saga, "o1")
                .whenCompensatedByAnOperator("o1")
                .whenCompensatedByAnOperator("o-unknown")
                .thenNothingElse();
        assertThat(saga.saga("o1").getOrder().getStatus()).isEqualTo(CONFIRMED);
        assertThat(saga.saga("o-unknown")).isNull();
    }

    @Test
    void cancelAfterConfirmationIsIgnored() {
        saga.whenPlaced("o1", "c1", line("P1", 1))
                .whenReserved("o1", "P1", 1)
                .whenCharged("o1", "c1", 450)
                .thenInventory(reserve("P1", "o1", 1), commit("P1", "o1"))
                .thenPayment(charge("c1", "o1", 450))
                .thenSettlement(settle("c1", "o1", 450))
                .thenOrder("o1", RESERVING, PAYING, CONFIRMED)
                .whenCancelled("o1")
                .thenNothingElse();
        assertThat(saga.saga("o1").getOrder().getStatus()).isEqualTo(CONFIRMED);
    }

    @Test
    void pricesAreSnapshottedAtPlacement() {
        saga.whenPlaced("o1", "c1", line("P1", 2))
                .givenProduct("P1", "Big mug", 999)
                .whenReserved("o1", "P1", 2)
                .thenInventory(reserve("P1", "o1", 2))
                .thenPayment(charge("c1", "o1", 900))
                .thenOrder("o1", RESERVING, PAYING);
        assertThat(saga.lastEvent().getLines()).containsExactly(new OrderLine("P1", "Mug", 2, 450L, 900L));
        saga.whenPlaced("o2", "c1", line("P1", 2))
                .thenInventory(reserve("P1", "o2", 2))
                .thenOrder("o2", RESERVING);
        assertThat(saga.lastEvent().getTotal()).isEqualTo(1998);
    }

    @Test
    void retentionRemovesTerminalSagasWhileInFlightOnesStay() {
        try (SagaScenario retained = new SagaScenario(new OrderSaga.Timings(30_000, 30_000, 60_000, 1_000))
                .givenProduct("P1", "Mug", 450)) {
            retained.whenPlaced("confirmed", "c1", line("P1", 1))
                    .whenReserved("confirmed", "P1", 1)
                    .whenCharged("confirmed", "c1", 450)
                    .whenPlaced("rejected", "c1", line("X1", 1))
                    .whenPlaced("cancelled", "c1", line("P1", 1))
                    .whenCancelled("cancelled")
                    .whenTimePasses(Duration.ofSeconds(45))
                    .whenPlaced("reserving", "c2", line("P1", 1));
            assertThat(retained.storedSagas()).containsExactlyInAnyOrder("confirmed", "rejected", "cancelled", "reserving");

            retained.whenTimePasses(Duration.ofSeconds(15));
            assertThat(retained.storedSagas()).containsExactly("reserving");
            assertThat(retained.deadlineEntries()).containsExactly(
                    String.format("%013d|reserving", SagaScenario.START.toEpochMilli() + 45_000 + 30_000));

            retained.whenTimePasses(Duration.ofSeconds(15));
            assertThat(retained.saga("reserving").getOrder().getStatus()).isEqualTo(CANCELLED);
            retained.whenTimePasses(Duration.ofSeconds(60));
            assertThat(retained.storedSagas()).isEmpty();
            assertThat(retained.deadlineEntries()).isEmpty();

            // A late reply after retention is compensated as for an unknown order.
            retained.ignoringOutputSoFar()
                    .whenReserved("cancelled", "P1", 1)
                    .thenInventory(release("P1", "cancelled"))
                    .thenNothingElse();
        }
    }

    @Test
    void aCancelFromAnotherCustomerIsIgnoredAndTheCustomersOwnIsTaken() {
        saga.whenPlaced("o1", "c1", line("P1", 1))
                .ignoringOutputSoFar()
                .whenCancelledBy("o1", "c2")
                .thenNothingElse()
                .whenCancelledBy("o1", "c1")
                .thenInventory(release("P1", "o1"))
                .thenOrder("o1", CANCELLED, CUSTOMER_CANCELLED)
                .thenNothingElse();
    }

    @Test
    void anOrderThatEndedNeverGetsASecondSagaEvenAfterRetention() {
        confirmedMug(saga, "o1")
                .whenTimePasses(Duration.ofMillis(OrderSaga.Timings.defaults().retentionMs() + 2_000));
        assertThat(saga.saga("o1")).as("the saga left the store").isNull();

        saga.whenPlaced("o1", "c1", line("P1", 1))
                .whenCharged("o1", "c1", 450)
                .thenNothingElse();
    }

    @Test
    void aLateChargeOfAPurgedCancelledOrderIsRefundedAndOfAPurgedConfirmedOneIsNot() {
        saga.whenPlaced("o1", "c1", line("P1", 1))
                .whenTimePasses(Duration.ofMillis(OrderSaga.Timings.defaults().reservationTimeoutMs() + 2_000));
        confirmedMug(saga, "o2")
                .whenTimePasses(Duration.ofMillis(OrderSaga.Timings.defaults().retentionMs() + 2_000))
                .whenCharged("o1", "c1", 450)
                .thenPayment(refund("c1", "o1"))
                .whenCharged("o2", "c1", 450)
                .thenNothingElse();
    }
}
