package io.ordersaga.inventory;

import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.Retention;
import io.ordersaga.common.Topics;
import io.ordersaga.common.testing.ServiceDriver;
import io.ordersaga.events.AdjustStock;
import io.ordersaga.events.CommitStock;
import io.ordersaga.events.InventoryCommand;
import io.ordersaga.events.InventoryReply;
import io.ordersaga.events.ReleaseStock;
import io.ordersaga.events.ReserveStock;
import io.ordersaga.events.StockAdjustmentRejected;
import io.ordersaga.events.StockLevel;
import io.ordersaga.events.StockReservation;
import org.apache.kafka.streams.TestOutputTopic;

import java.util.List;

/**
 * {@link InventoryTopology} in a {@link ServiceDriver} with production Streams settings (except that a processing
 * error fails the test instead of going to the dead-letter topic), and commands in a few words.
 */
final class InventoryDriver extends ServiceDriver {

    InventoryDriver(Retention retention) {
        super("inventory-streams", InventoryTopology.build(
                new InventoryTopology.Config(retention, InventoryTopology.Config.defaults().adjustments()), EventSerdes.unregistered()));
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
        adjust(productId, delta, newId("adj"));
    }

    /** An adjustment with the given adjustmentId, as order-api sends a retried request's. */
    void adjust(String productId, long delta, String adjustmentId) {
        send(productId, new AdjustStock(adjustmentId, delta, delta >= 0 ? "RESTOCK" : "DAMAGED"));
    }

    private void send(String productId, Object command) {
        harness.input(Topics.INVENTORY_COMMANDS).pipeInput(productId, new InventoryCommand(productId, command));
    }

    /** Replies emitted since the last read, as the saga would see them. */
    TestOutputTopic<String, InventoryReply> replies() {
        return harness.output(Topics.INVENTORY_REPLIES);
    }

    /** Refused adjustments emitted since the last read. */
    TestOutputTopic<String, StockAdjustmentRejected> rejections() {
        return harness.output(Topics.STOCK_ADJUSTMENT_REJECTIONS);
    }

    /** The stock record of productId, or null when it has none. */
    StockLevel stock(String productId) {
        return get(InventoryTopology.STOCK, productId);
    }

    /** The reservation of orderId for productId, or null when there is none (never made, or deleted). */
    StockReservation reservation(String orderId, String productId) {
        return get(InventoryTopology.RESERVATIONS, InventoryTopology.reservationKey(orderId, productId));
    }

    /** Every reservation in the store, in key order. */
    List<StockReservation> allReservations() {
        return all(InventoryTopology.RESERVATIONS);
    }
}
