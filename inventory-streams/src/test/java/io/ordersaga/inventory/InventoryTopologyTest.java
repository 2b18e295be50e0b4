package io.ordersaga.inventory;

import io.ordersaga.common.Retention;
import io.ordersaga.events.InventoryReply;
import io.ordersaga.events.ReservationState;
import io.ordersaga.events.StockAdjustmentRejected;
import io.ordersaga.events.StockLevel;
import io.ordersaga.events.StockRejectReason;
import io.ordersaga.events.StockRejected;
import io.ordersaga.events.StockReservation;
import io.ordersaga.events.StockReserved;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.stream.Stream;

import static io.ordersaga.common.testing.StreamsTestSupport.onlyRecord;
import static io.ordersaga.common.testing.StreamsTestSupport.onlyValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The inventory rules, command by command, in {@link InventoryDriver}. */
class InventoryTopologyTest {

    private static final Duration RETENTION = Duration.ofHours(1);
    private static final Duration SCAN_INTERVAL = Duration.ofSeconds(1);

    @RegisterExtension
    final InventoryDriver inventory = new InventoryDriver(new Retention(RETENTION.toMillis(), SCAN_INTERVAL.toMillis()));

    /**
     * A reserve of {@code quantity} with {@code stock} units in stock holds the units when they are available, else is
     * rejected out of stock with what was available and holds nothing. Its redeliveries, with the same quantity or
     * another and after a restock, re-emit that first outcome and change nothing.
     */
    @ParameterizedTest(name = "{1} of {0}")
    @MethodSource("firstReserves")
    void aReserveIsDecidedOnceByTheStockAvailableWhenItFirstArrives(long stock, int quantity, Object outcome, long reserved,
                                                                  ReservationState state) {
        inventory.adjust("p1", stock);

        inventory.reserve("o1", "p1", quantity);
        assertThat(onlyRecord(inventory.replies())).isEqualTo(KeyValue.pair("o1", reply("o1", "p1", outcome)));
        assertStock("p1", stock - reserved, reserved, 0, stock);

        inventory.adjust("p1", 100);
        inventory.reserve("o1", "p1", quantity);
        inventory.reserve("o1", "p1", 1);

        assertThat(inventory.replies().readValuesToList()).containsExactly(reply("o1", "p1", outcome), reply("o1", "p1", outcome));
        assertStock("p1", stock - reserved + 100, reserved, 0, stock + 100);
        assertThat(inventory.reservation("o1", "p1").getState()).isEqualTo(state);
    }

    /** Stock, quantity reserved, the first outcome, units reserved by it, the reservation's state. */
    static Stream<Arguments> firstReserves() {
        return Stream.of(
                arguments(10L, 3, new StockReserved(3), 3L, ReservationState.RESERVED),
                arguments(3L, 3, new StockReserved(3), 3L, ReservationState.RESERVED),
                arguments(2L, 3, new StockRejected(3, 2L, StockRejectReason.OUT_OF_STOCK), 0L, ReservationState.REJECTED));
    }

    @Test
    void productWithoutStockRecordHasNothingAvailable() {
        inventory.reserve("o1", "unknown", 1);

        assertThat(onlyValue(inventory.replies())).isEqualTo(reply("o1", "unknown", new StockRejected(1, 0L, StockRejectReason.OUT_OF_STOCK)));
        assertThat(inventory.stock("unknown")).isNull();
    }

    @Test
    void exactLastUnitGoesToTheFirstBuyerAndTheSecondIsRefused() {
        inventory.adjust("p1", 1);

        inventory.reserve("first", "p1", 1);
        inventory.reserve("second", "p1", 1);

        assertThat(inventory.replies().readValuesToList()).containsExactly(
                reply("first", "p1", new StockReserved(1)),
                reply("second", "p1", new StockRejected(1, 0L, StockRejectReason.OUT_OF_STOCK)));
        assertStock("p1", 0, 1, 0, 1);
    }

    @Test
    void anAdjustmentIdIsAppliedOnceWithinTheWindowAndIsNewAfterIt() {
        inventory.adjust("p1", 10, "a1");
        inventory.adjust("p1", 10, "a1");
        assertStock("p1", 10, 0, 0, 10);

        inventory.adjust("p1", -50, "a2");
        inventory.adjust("p1", -50, "a2");
        assertThat(inventory.rejections().readValuesToList()).as("refused once").hasSize(1);

        inventory.advanceWallClock(Duration.ofDays(7).plusSeconds(2));
        inventory.adjust("p1", 10, "a1");
        assertStock("p1", 20, 0, 0, 20);
    }

    @Test
    void releaseBeforeReserveVoidsTheReservationSoTheLateReserveIsRefused() {
        inventory.adjust("p1", 10);

        inventory.release("o1", "p1");
        assertThat(inventory.reservation("o1", "p1").getState()).isEqualTo(ReservationState.VOIDED);
        inventory.reserve("o1", "p1", 4);
        inventory.reserve("o1", "p1", 4);

        assertThat(inventory.replies().readValuesToList()).containsExactly(
                reply("o1", "p1", new StockRejected(4, 10L, StockRejectReason.RESERVATION_VOIDED)),
                reply("o1", "p1", new StockRejected(4, 10L, StockRejectReason.RESERVATION_VOIDED)));
        assertStock("p1", 10, 0, 0, 10);
    }

    /**
     * A reservation of 4 of 10 units closed by {@code closes} in turn, then its reserve redelivered and the closes
     * repeated: the first close decides (a commit sells the units, a release gives them back), and nothing after it
     * changes the stock; the repeated reserve is refused as closed.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            commit,           6, 4, COMMITTED
            commit commit,    6, 4, COMMITTED
            commit release,   6, 4, COMMITTED
            release,         10, 0, RELEASED
            release release, 10, 0, RELEASED
            release commit,  10, 0, RELEASED
            """)
    void theFirstCloseOfAReservationDecidesAndARepeatedReserveIsRefusedAsClosed(String closes, long available, long sold,
                                                                              ReservationState state) {
        inventory.adjust("p1", 10);
        inventory.reserve("o1", "p1", 4);
        close("o1", "p1", closes);
        assertStock("p1", available, 0, sold, 10);

        inventory.reserve("o1", "p1", 4);
        close("o1", "p1", closes);

        assertThat(inventory.replies().readValuesToList()).containsExactly(
                reply("o1", "p1", new StockReserved(4)),
                reply("o1", "p1", new StockRejected(4, available, StockRejectReason.RESERVATION_CLOSED)));
        assertStock("p1", available, 0, sold, 10);
        assertThat(inventory.reservation("o1", "p1").getState()).isEqualTo(state);
    }

    @Test
    void commitOfAnUnknownOrRejectedReservationSellsNothing() {
        inventory.adjust("p1", 1);
        inventory.reserve("o1", "p1", 2);

        inventory.commit("o1", "p1");
        inventory.commit("never-reserved", "p1");

        assertStock("p1", 1, 0, 0, 1);
        assertThat(inventory.reservation("o1", "p1").getState()).isEqualTo(ReservationState.REJECTED);
        assertThat(inventory.reservation("never-reserved", "p1")).isNull();
    }

    @Test
    void restockAndWriteOffWithinAvailableAreAccepted() {
        inventory.adjust("p1", 10);
        inventory.reserve("o1", "p1", 3);

        inventory.adjust("p1", -7);

        assertStock("p1", 0, 3, 0, 3);
        assertThat(inventory.rejections().isEmpty()).isTrue();
    }

    @Test
    void writeOffBelowZeroIsRejectedWithAnEventAndChangesNothing() {
        inventory.adjust("p1", 10);
        inventory.reserve("o1", "p1", 7);

        inventory.adjust("p1", -5, "w1");

        assertThat(inventory.rejections().readKeyValuesToList()).containsExactly(KeyValue.pair("p1",
                new StockAdjustmentRejected("p1", "w1", -5L, 3L, "write-off of 5 (DAMAGED) exceeds available 3")));
        assertStock("p1", 3, 7, 0, 10);
    }

    @Test
    void writeOffOfAProductWithoutStockIsRejectedAndCreatesNoRecord() {
        inventory.adjust("p1", -1);

        assertThat(inventory.rejections().readValue().getAvailable()).isZero();
        assertThat(inventory.stock("p1")).isNull();
    }

    @Test
    void reserveOfLessThanOneUnitIsIgnored() {
        inventory.adjust("p1", 10);

        inventory.reserve("o1", "p1", 0);
        inventory.reserve("o2", "p1", -3);

        assertThat(inventory.replies().isEmpty()).isTrue();
        assertThat(inventory.reservation("o1", "p1")).isNull();
        assertStock("p1", 10, 0, 0, 10);
    }

    @Test
    void retentionDeletesClosedReservationsAfterRetentionAndKeepsOpenOnes() {
        inventory.adjust("p1", 10);
        inventory.reserve("committed", "p1", 1);
        inventory.commit("committed", "p1");
        inventory.reserve("released", "p1", 1);
        inventory.release("released", "p1");
        inventory.reserve("rejected", "p1", 100);
        inventory.release("voided", "p1");
        inventory.reserve("open", "p1", 2);

        inventory.advanceWallClock(RETENTION.minus(SCAN_INTERVAL));
        assertThat(inventory.allReservations()).hasSize(5);

        inventory.advanceWallClock(SCAN_INTERVAL);

        assertThat(inventory.allReservations()).extracting(StockReservation::getOrderId, StockReservation::getState)
                .containsExactly(tuple("open", ReservationState.RESERVED));
        assertStock("p1", 7, 2, 1, 10);
    }

    @Test
    void retentionCountsFromWhenTheReservationClosed() {
        inventory.adjust("p1", 10);
        inventory.reserve("o1", "p1", 1);
        inventory.advanceWallClock(RETENTION);

        inventory.release("o1", "p1");
        inventory.advanceWallClock(RETENTION.minus(SCAN_INTERVAL));
        assertThat(inventory.reservation("o1", "p1").getState()).isEqualTo(ReservationState.RELEASED);
        inventory.advanceWallClock(SCAN_INTERVAL);

        assertThat(inventory.reservation("o1", "p1")).isNull();
    }

    /** Sends the saga's closes of the reservation, in turn: each word of {@code closes} is "commit" or "release". */
    private void close(String orderId, String productId, String closes) {
        for (String close : closes.split(" ")) {
            switch (close) {
                case "commit" -> inventory.commit(orderId, productId);
                case "release" -> inventory.release(orderId, productId);
                default -> throw new IllegalArgumentException(close);
            }
        }
    }

    private static InventoryReply reply(String orderId, String productId, Object outcome) {
        return new InventoryReply(orderId, productId, outcome);
    }

    /** Asserts the product's stock, and that it keeps the invariant adjusted = available + reserved + sold. */
    private void assertStock(String productId, long available, long reserved, long sold, long adjusted) {
        StockLevel level = inventory.stock(productId);
        assertThat(level).isEqualTo(new StockLevel(productId, available, reserved, sold, adjusted));
        assertThat(level.getAdjusted()).isEqualTo(level.getAvailable() + level.getReserved() + level.getSold());
    }
}
