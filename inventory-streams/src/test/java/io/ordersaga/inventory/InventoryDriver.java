package io.ordersaga.inventory;

import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.Retention;
import io.ordersaga.common.Topics;
import io.ordersaga.common.testing.TopologyHarness;
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

    private final TopologyHarness driver;
    private final TestInputTopic<String, InventoryCommand> commands;
    private final TestOutputTopic<String, InventoryReply> replies;
    private final TestOutputTopic<String, StockAdjustmentRejected> rejections;
    private int adjustments;

    InventoryDriver(Retention retention, Path stateDir) {
        driver = new TopologyHarness("inventory-streams", InventoryTopology.build(
                new InventoryTopology.Config(retention, InventoryTopology.Config.defaults().adjustments()), EventSerdes.unregistered()),
                stateDir, START);
        commands = driver.input(Topics.INVENTORY_COMMANDS);
        replies = driver.output(Topics.INVENTORY_REPLIES);
        rejections = driver.output(Topics.STOCK_ADJUSTMENT_REJECTIONS);
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
        KeyValueStore<String, StockLevel> store = driver.store(InventoryTopology.STOCK);
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
        return driver.store(InventoryTopology.RESERVATIONS);
    }

    void advanceWallClock(Duration by) {
        driver.advanceWallClock(by);
    }

    @Override
    public void close() {
        driver.close();
    }
}
