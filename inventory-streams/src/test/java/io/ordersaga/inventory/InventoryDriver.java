package io.ordersaga.inventory;

import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.Retention;
import io.ordersaga.common.Topics;
import io.ordersaga.common.testing.StreamsTestSupport;
import io.ordersaga.events.AdjustStock;
import io.ordersaga.events.CommitStock;
import io.ordersaga.events.InventoryCommand;
import io.ordersaga.events.InventoryReply;
import io.ordersaga.events.ReleaseStock;
import io.ordersaga.events.ReserveStock;
import io.ordersaga.events.StockAdjustmentRejected;
import io.ordersaga.events.StockLevel;
import io.ordersaga.events.StockReservation;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link InventoryTopology} in a {@link TopologyTestDriver} with production Streams settings (except that a
 * processing error fails the test instead of going to the dead-letter topic), and commands in a few words.
 * The wall clock starts at {@link #START} and moves only with {@link #advanceWallClock}.
 */
final class InventoryDriver implements AutoCloseable {

    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final EventSerdes serdes = EventSerdes.unregistered();
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, InventoryCommand> commands;
    private final TestOutputTopic<String, InventoryReply> replies;
    private final TestOutputTopic<String, StockAdjustmentRejected> rejections;
    private int adjustments;

    InventoryDriver(Retention retention, Path stateDir) {
        driver = new TopologyTestDriver(InventoryTopology.build(new InventoryTopology.Config(retention, InventoryTopology.Config.defaults().adjustments()), serdes),
                StreamsTestSupport.properties("inventory-streams", stateDir), START);
        commands = StreamsTestSupport.input(driver, Topics.INVENTORY_COMMANDS, serdes);
        replies = StreamsTestSupport.output(driver, Topics.INVENTORY_REPLIES, serdes);
        rejections = StreamsTestSupport.output(driver, Topics.STOCK_ADJUSTMENT_REJECTIONS, serdes);
    }

    void reserve(String orderId, String productId, int quantity) {
        send(productId, new ReserveStock(orderId, quantity));
    }

    void release(String orderId, String productId) {
        send(productId, new ReleaseStock(orderId));
    }

    void commit(String orderId, String productId) {
        send(productId, new CommitStock(orderId));
    }

    /** An adjustment with a new adjustmentId each call. */
    void adjust(String productId, long delta) {
        adjust(productId, delta, "adj-" + ++adjustments);
    }

    /** An adjustment with the given adjustmentId, as order-api sends a retried request's. */
    void adjust(String productId, long delta, String adjustmentId) {
        send(productId, new AdjustStock(adjustmentId, delta, delta >= 0 ? "RESTOCK" : "DAMAGED"));
    }

    private void send(String productId, Object command) {
        commands.pipeInput(productId, new InventoryCommand(productId, command));
    }

    /** Replies emitted since the last read, as the saga would see them. */
    TestOutputTopic<String, InventoryReply> replies() {
        return replies;
    }

    /** Refused adjustments emitted since the last read. */
    TestOutputTopic<String, StockAdjustmentRejected> rejections() {
        return rejections;
    }

    /** The stock record of productId, or null when it has none. */
    StockLevel stock(String productId) {
        KeyValueStore<String, StockLevel> store = driver.getKeyValueStore(InventoryTopology.STOCK_STORE);
        return store.get(productId);
    }

    /** The reservation of orderId for productId, or null when there is none (never made, or deleted). */
    StockReservation reservation(String orderId, String productId) {
        return reservations().get(InventoryTopology.reservationKey(orderId, productId));
    }

    /** Every reservation in the store, in key order. */
    List<StockReservation> allReservations() {
        List<StockReservation> all = new ArrayList<>();
        try (KeyValueIterator<String, StockReservation> it = reservations().all()) {
            it.forEachRemaining(entry -> all.add(entry.value));
        }
        return all;
    }

    private KeyValueStore<String, StockReservation> reservations() {
        return driver.getKeyValueStore(InventoryTopology.RESERVATIONS_STORE);
    }

    void advanceWallClock(Duration by) {
        driver.advanceWallClockTime(by);
    }

    @Override
    public void close() {
        driver.close();
    }
}
