package io.ordersaga.inventory;

import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.Retention;
import io.ordersaga.common.Topics;
import io.ordersaga.common.testing.RetainedKeys;
import io.ordersaga.common.testing.RetentionReplay;
import io.ordersaga.common.testing.StreamsTestSupport;
import io.ordersaga.events.AdjustStock;
import io.ordersaga.events.CommitStock;
import io.ordersaga.events.InventoryCommand;
import io.ordersaga.events.InventoryReply;
import io.ordersaga.events.ReleaseStock;
import io.ordersaga.events.ReservationState;
import io.ordersaga.events.ReserveStock;
import io.ordersaga.events.StockLevel;
import io.ordersaga.events.StockRejectReason;
import io.ordersaga.events.StockRejected;
import io.ordersaga.events.StockReservation;
import io.ordersaga.events.StockReserved;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention over a long replay: {@value #ORDERS} orders at {@value #ORDERS_PER_SECOND} a second of wall clock (40
 * minutes of simulated time, 40 retention windows) reserve 1-2 products each, as the saga would, and then commit
 * (most), release (payment declined, cancel, out of stock on another line) or hold their reservations for
 * {@value #SLOW_HOLD_TICKS} s before closing them; a few release before their reserve arrives (VOIDED), a few reserves
 * are redelivered, and one order in {@value #NEVER_CLOSED_EVERY} never closes. Every product is restocked each minute.
 *
 * <p>A closed reservation lives {@value #RETENTION_MS} ms, so the reservation store never holds more than the lines
 * of the last hold + retention ({@link #BOUND}) plus the never-closed ones, while the orders replayed keep growing.
 * Every {@value #SAMPLE_EVERY_TICKS} ticks the test checks against its own model that the store holds exactly the
 * open reservations (never deleted, however old) and the closed ones still within retention, that the retention
 * index has one entry per closed one, that every stock record is kept and exact, and that the reservation changelog
 * got one tombstone per deleted reservation (and the stock changelog none).
 *
 * <p>The size of the replay is set by TopologyTestDriver's cost: it commits after every record, flushing RocksDB
 * each time, so a replay of a few thousand orders keeps the test near 10 s on a 2-core machine (15 s busy).
 */
class InventoryRetentionReplayTest extends RetentionReplay<StockReservation> {

    private static final int ORDERS = 2_400;
    private static final int ORDERS_PER_SECOND = 1;
    private static final int MAX_LINES = 2;
    private static final int SLOW_HOLD_TICKS = 30;
    private static final int NEVER_CLOSED_EVERY = 500;
    private static final List<String> PRODUCT_IDS = IntStream.range(0, 20).mapToObj(p -> String.format("p%02d", p)).toList();
    private static final long INITIAL_STOCK = 40;
    private static final int RESTOCK_EVERY_TICKS = 60;
    /** Most reservations the store may hold: lines of the last slow hold + retention, a scan late, and the never-closed ones. */
    private static final long BOUND = bound((long) ORDERS_PER_SECOND * MAX_LINES, SLOW_HOLD_TICKS) + ORDERS / NEVER_CLOSED_EVERY;

    /** What the order does with its reservations once they are all answered. */
    private enum Plan {
        COMMIT, RELEASE, SLOW_COMMIT, SLOW_RELEASE, VOID, NEVER_CLOSED;

        static Plan draw(Random random, int order) {
            if (order % NEVER_CLOSED_EVERY == NEVER_CLOSED_EVERY - 1) {
                return NEVER_CLOSED;
            }
            int roll = random.nextInt(100);
            return roll < 1 ? VOID : roll < 3 ? SLOW_COMMIT : roll < 5 ? SLOW_RELEASE : roll < 15 ? RELEASE : COMMIT;
        }
    }

    /** The model's stock of one product, in units: what the store's {@link StockLevel} must be. */
    private static final class Stock {
        long adjusted;
        long reserved;
        long sold;

        long available() {
            return adjusted - reserved - sold;
        }
    }

    private final Map<String, Stock> stock = new TreeMap<>();
    /** Open (RESERVED) reservations by key, and their units. */
    private final Map<String, Integer> open = new HashMap<>();
    private final Set<String> neverClosed = new HashSet<>();
    private final RetainedKeys retained = new RetainedKeys();

    InventoryRetentionReplayTest() {
        super("inventory-streams", retention -> InventoryTopology.build(
                        new InventoryTopology.Config(retention, InventoryTopology.Config.defaults().adjustments()), EventSerdes.unregistered()),
                InventoryTopology.RESERVATIONS, InventoryTopology.RESERVATION_RETENTION, InventoryTopology.STOCK, BOUND);
    }

    @Test
    void reservationStoreStaysBoundedAndShrinksByTombstonesOverALongReplay() {
        Samples samples = replay(ORDERS, ORDERS_PER_SECOND, quietTicks(SLOW_HOLD_TICKS));

        assertThat(open.keySet()).as("only the never-closed reservations stay open").isEqualTo(neverClosed);
        assertThat(samples.afterQuiet()).as("reservations (the never-closed ones) and retention entries after hold + retention")
                .containsExactly(neverClosed.size(), 0);
        assertThat(outcomes()).as("every kind of reply and close happened")
                .containsOnlyKeys("Reserved", "OUT_OF_STOCK", "RESERVATION_VOIDED", "redelivered", "COMMITTED", "RELEASED");
    }

    /** Every product restocked with {@value #INITIAL_STOCK} units. */
    @Override
    protected void seed() {
        for (String productId : PRODUCT_IDS) {
            stock.put(productId, new Stock());
            restock(productId, INITIAL_STOCK);
        }
    }

    private void send(String productId, Object command) {
        harness.input(Topics.INVENTORY_COMMANDS).pipeInput(productId, new InventoryCommand(productId, command), now());
    }

    /** The one reply to the command just sent. */
    private InventoryReply onlyReply() {
        return StreamsTestSupport.onlyValue(harness.output(Topics.INVENTORY_REPLIES));
    }

    /** Reserves 1-2 products for a new order, checks the replies against the model, and schedules what the order does next. */
    @Override
    protected void place(int index) {
        String orderId = String.format("o%05d", index);
        Plan plan = Plan.draw(random, index);
        List<String> productIds = new ArrayList<>(stock.keySet());
        Collections.shuffle(productIds, random);
        List<String> lines = productIds.subList(0, plan == Plan.VOID || plan == Plan.NEVER_CLOSED ? 1 : 1 + random.nextInt(MAX_LINES));

        if (plan == Plan.VOID) {
            String productId = lines.getFirst();
            send(productId, new ReleaseStock(orderId));
            created();
            closed(InventoryTopology.reservationKey(orderId, productId));
            send(productId, new ReserveStock(orderId, 1));
            InventoryReply reply = onlyReply();
            assertThat(reply.getOutcome()).as("reserve after its release").isEqualTo(
                    new StockRejected(1, stock.get(productId).available(), StockRejectReason.RESERVATION_VOIDED));
            count("RESERVATION_VOIDED");
            return;
        }
        List<String> reserved = new ArrayList<>();
        for (String productId : lines) {
            int quantity = 1 + random.nextInt(3);
            if (reserve(orderId, productId, quantity)) {
                reserved.add(productId);
            }
        }
        boolean rejected = reserved.size() < lines.size();
        switch (plan) {
            case NEVER_CLOSED -> reserved.forEach(productId -> neverClosed.add(InventoryTopology.reservationKey(orderId, productId)));
            case COMMIT -> later(1 + random.nextInt(3), () -> close(orderId, reserved, !rejected));
            case RELEASE -> later(1 + random.nextInt(3), () -> close(orderId, reserved, false));
            case SLOW_COMMIT -> later(SLOW_HOLD_TICKS, () -> close(orderId, reserved, !rejected));
            case SLOW_RELEASE -> later(SLOW_HOLD_TICKS, () -> close(orderId, reserved, false));
            case VOID -> throw new IllegalStateException("handled above");
        }
    }

    /**
     * Sends ReserveStock (redelivered now and then) and checks the reply against the model's available units;
     * returns whether the units were reserved.
     */
    private boolean reserve(String orderId, String productId, int quantity) {
        String key = InventoryTopology.reservationKey(orderId, productId);
        Stock product = stock.get(productId);
        long available = product.available();
        send(productId, new ReserveStock(orderId, quantity));
        InventoryReply reply = onlyReply();
        created();
        if (random.nextInt(100) == 0) {
            send(productId, new ReserveStock(orderId, quantity));
            assertThat(onlyReply()).as("a redelivered reserve re-emits the first outcome").isEqualTo(reply);
            count("redelivered");
        }
        if (available >= quantity) {
            assertThat(reply.getOutcome()).as("reserve of %d with %d available", quantity, available).isEqualTo(new StockReserved(quantity));
            product.reserved += quantity;
            open.put(key, quantity);
            count("Reserved");
            return true;
        }
        assertThat(reply.getOutcome()).as("reserve of %d with %d available", quantity, available)
                .isEqualTo(new StockRejected(quantity, available, StockRejectReason.OUT_OF_STOCK));
        closed(key);
        count("OUT_OF_STOCK");
        return false;
    }

    /** Commits (when {@code commit}) or releases the order's reservations of {@code productIds}, as the saga would. */
    private void close(String orderId, List<String> productIds, boolean commit) {
        for (String productId : productIds) {
            String key = InventoryTopology.reservationKey(orderId, productId);
            int quantity = open.remove(key);
            Stock product = stock.get(productId);
            product.reserved -= quantity;
            if (commit) {
                send(productId, new CommitStock(orderId));
                product.sold += quantity;
            } else {
                send(productId, new ReleaseStock(orderId));
            }
            closed(key);
            count(commit ? "COMMITTED" : "RELEASED");
        }
    }

    private void closed(String key) {
        retained.add(key, nowMs() + RETENTION_MS);
    }

    private void restock(String productId, long units) {
        send(productId, new AdjustStock("restock-" + productId + "-" + ticks(), units, "RESTOCK"));
        stock.get(productId).adjusted += units;
    }

    /** The minute's restocks, after the tick's due commits and releases. */
    @Override
    protected void afterDue() {
        if (ticks() % RESTOCK_EVERY_TICKS == RESTOCK_EVERY_TICKS - 1) {
            stock.keySet().forEach(productId -> restock(productId, 5 + random.nextInt(7)));
        }
    }

    /**
     * Checks the stores against the model: exactly the open reservations (RESERVED) and the closed ones within
     * retention are stored, one retention entry per closed one, and every stock record as the model has it.
     */
    @Override
    protected void check(SortedMap<String, StockReservation> stored, long retentionEntries) {
        List<String> closedWithinRetention = retained.at(nowMs());
        open.keySet().forEach(key -> assertThat(stored.get(key)).as("open reservation " + key + " kept")
                .extracting(StockReservation::getState).isEqualTo(ReservationState.RESERVED));
        closedWithinRetention.forEach(key -> assertThat(stored.get(key)).as("closed reservation " + key + " kept within retention")
                .extracting(StockReservation::getState)
                .isIn(ReservationState.COMMITTED, ReservationState.RELEASED, ReservationState.REJECTED, ReservationState.VOIDED));
        assertThat(stored).as("no reservation kept past its retention").hasSize(open.size() + closedWithinRetention.size());
        assertThat(retentionEntries).as("one retention entry per closed reservation").isEqualTo(closedWithinRetention.size());

        KeyValueStore<String, StockLevel> levels = harness.store(InventoryTopology.STOCK);
        stock.forEach((productId, product) -> assertThat(levels.get(productId)).as("stock of " + productId)
                .isEqualTo(new StockLevel(productId, product.available(), product.reserved, product.sold, product.adjusted)));
    }
}
