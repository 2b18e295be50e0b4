package io.ordersaga.inventory;

import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.Retention;
import io.ordersaga.common.Store;
import io.ordersaga.common.Topic;
import io.ordersaga.common.TimeIndex;
import io.ordersaga.common.Topics;
import io.ordersaga.events.InventoryReply;
import io.ordersaga.events.StockLevel;
import io.ordersaga.events.StockReservation;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

import java.util.List;

/**
 * The inventory-streams topology: {@link Topics#INVENTORY_COMMANDS} (key productId) into one
 * {@link InventoryProcessor}, which owns every product of its partition, so stock changes need no lock.
 *
 * <p>State stores (persistent RocksDB, cached, logged to a compacted changelog):
 * <ul>
 *   <li>{@link #STOCK}: key productId, value {@link StockLevel}; never deleted.</li>
 *   <li>{@link #RESERVATIONS}: key {@code orderId|productId} ({@link #reservationKey}), value
 *       {@link StockReservation}; closed reservations are deleted after {@link Config#reservations()} retention.</li>
 *   <li>{@link #RESERVATION_RETENTION}: a {@link TimeIndex} of closed reservations, by when they are deleted.</li>
 *   <li>{@link #ADJUSTMENTS}: key adjustmentId, value when it was done (epoch ms), kept for
 *       {@link Config#adjustments()}, so that a retried adjustment is applied once; and its index
 *       {@link #ADJUSTMENT_RETENTION}.</li>
 * </ul>
 *
 * <p>Outputs: {@link InventoryReply} to {@link Topics#INVENTORY_REPLIES} (key orderId) for every ReserveStock,
 * and {@link StockAdjustmentRejected} to {@link Topics#STOCK_ADJUSTMENT_REJECTIONS} (key productId) for each
 * refused AdjustStock.
 */
public final class InventoryTopology {

    /** Stock per product: key productId, value {@link StockLevel}. Queried by {@link StockQueryController}. */
    public static final Store<StockLevel> STOCK = Store.avro("stock", StockLevel.class);

    /** Reservations: key {@code orderId|productId}, value {@link StockReservation}. */
    public static final Store<StockReservation> RESERVATIONS = Store.avro("reservations", StockReservation.class);

    /** Time index of closed reservations, by deletion time (epoch ms). */
    public static final Store<String> RESERVATION_RETENTION = TimeIndex.store("reservation-retention");

    /** AdjustStock ids done (applied or refused): key adjustmentId, value when, epoch ms. Deduplicates adjustments. */
    public static final Store<Long> ADJUSTMENTS = Store.longs("stock-adjustments");

    /** Time index of {@link #ADJUSTMENTS}'s ids, by deletion time (epoch ms). */
    public static final Store<String> ADJUSTMENT_RETENTION = TimeIndex.store("stock-adjustment-retention");

    /** Name of the processor node that applies the commands. */
    public static final String PROCESSOR = "inventory-processor";

    private InventoryTopology() {
    }

    /**
     * How long inventory remembers what it did.
     *
     * @param reservations how long a closed (COMMITTED, RELEASED, REJECTED or VOIDED) reservation is kept after it
     *                     closed, so that a repeated command for it stays idempotent, and how often expired ones are
     *                     deleted (default 24 h, scan every 1 s)
     * @param adjustments  the deduplication window of adjustmentIds: a repeat within it is ignored, after it the id
     *                     is new again (default 7 days, scan every 1 s)
     */
    public record Config(Retention reservations, Retention adjustments) {

        /** The default deduplication window of adjustmentIds: seven days, in ms. */
        public static final long DEFAULT_ADJUSTMENT_DEDUP_MS = 7 * 86_400_000L;

        /** One day for reservations, seven days for adjustmentIds, scans every second. */
        public static Config defaults() {
            return new Config(new Retention(Retention.DEFAULT_RETENTION_MS, Retention.DEFAULT_SCAN_INTERVAL_MS),
                    new Retention(DEFAULT_ADJUSTMENT_DEDUP_MS, Retention.DEFAULT_SCAN_INTERVAL_MS));
        }
    }

    /**
     * Adds the topology to {@code builder}: the three stores, the source, the processor and both sinks.
     *
     * @param config how long closed reservations and done adjustmentIds are kept
     * @param serdes the value serdes of topics and stores (registry in production, unregistered in tests)
     */
    public static void define(StreamsBuilder builder, Config config, EventSerdes serdes) {
        for (Store<?> store : List.of(STOCK, RESERVATIONS, RESERVATION_RETENTION, ADJUSTMENTS, ADJUSTMENT_RETENTION)) {
            builder.addStateStore(store.builder(serdes));
        }
        KStream<String, SpecificRecord> outputs = Topics.INVENTORY_COMMANDS.stream(builder, serdes)
                .process(() -> new InventoryProcessor(config), Named.as(PROCESSOR), STOCK.name(), RESERVATIONS.name(),
                        RESERVATION_RETENTION.name(), ADJUSTMENTS.name(), ADJUSTMENT_RETENTION.name());
        Topic.route(outputs, "inventory-output-", List.of(Topics.INVENTORY_REPLIES, Topics.STOCK_ADJUSTMENT_REJECTIONS),
                output -> output instanceof InventoryReply ? Topics.INVENTORY_REPLIES : Topics.STOCK_ADJUSTMENT_REJECTIONS,
                output -> output, serdes);
    }

    /** The topology on its own, as {@link #define} adds it to a fresh builder. */
    public static Topology build(Config config, EventSerdes serdes) {
        StreamsBuilder builder = new StreamsBuilder();
        define(builder, config, serdes);
        return builder.build();
    }

    /**
     * The {@link #RESERVATIONS} key of an order's reservation of a product: {@code orderId|productId}.
     * Product ids (catalog StockCodes) contain no {@code '|'}, so the productId is what follows the last
     * {@code '|'} and two different (orderId, productId) pairs never share a key.
     */
    public static String reservationKey(String orderId, String productId) {
        return orderId + "|" + productId;
    }
}
