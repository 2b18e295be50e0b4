package io.ordersaga.inventory;

import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.Retention;
import io.ordersaga.common.TimeIndex;
import io.ordersaga.common.Topics;
import io.ordersaga.events.InventoryReply;
import io.ordersaga.events.StockAdjustmentRejected;
import io.ordersaga.events.StockLevel;
import io.ordersaga.events.StockReservation;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.Stores;

/**
 * The inventory-streams topology: {@link Topics#INVENTORY_COMMANDS} (key productId) into one
 * {@link InventoryProcessor}, which owns every product of its partition, so stock changes need no lock.
 *
 * <p>State stores (persistent RocksDB, cached, logged to a compacted changelog):
 * <ul>
 *   <li>{@link #STOCK_STORE}: key productId, value {@link StockLevel}; never deleted.</li>
 *   <li>{@link #RESERVATIONS_STORE}: key {@code orderId|productId} ({@link #reservationKey}), value
 *       {@link StockReservation}; closed reservations are deleted after {@link Config#reservations()} retention.</li>
 *   <li>{@link #RETENTION_STORE}: a {@link TimeIndex} of closed reservations, by when they are deleted.</li>
 *   <li>{@link #ADJUSTMENTS_STORE}: key adjustmentId, value when it was done (epoch ms), kept for
 *       {@link Config#adjustments()}, so that a retried adjustment is applied once; and its index
 *       {@link #ADJUSTMENT_RETENTION_STORE}.</li>
 * </ul>
 *
 * <p>Outputs: {@link InventoryReply} to {@link Topics#INVENTORY_REPLIES} (key orderId) for every ReserveStock,
 * and {@link StockAdjustmentRejected} to {@link Topics#STOCK_ADJUSTMENT_REJECTIONS} (key productId) for each
 * refused AdjustStock.
 */
public final class InventoryTopology {

    /** Stock per product: key productId, value {@link StockLevel}. Queried by {@link StockController}. */
    public static final String STOCK_STORE = "stock";

    /** Reservations: key {@code orderId|productId}, value {@link StockReservation}. */
    public static final String RESERVATIONS_STORE = "reservations";

    /** Time index of closed reservations, by deletion time (epoch ms). */
    public static final String RETENTION_STORE = "reservation-retention";

    /** AdjustStock ids done (applied or refused): key adjustmentId, value when, epoch ms. Deduplicates adjustments. */
    public static final String ADJUSTMENTS_STORE = "stock-adjustments";

    /** Time index of {@link #ADJUSTMENTS_STORE}'s ids, by deletion time (epoch ms). */
    public static final String ADJUSTMENT_RETENTION_STORE = "stock-adjustment-retention";

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

        /** One day for reservations, seven days for adjustmentIds, scans every second. */
        public static Config defaults() {
            return new Config(new Retention(86_400_000L, 1_000), new Retention(7 * 86_400_000L, 1_000));
        }
    }

    /**
     * Adds the topology to {@code builder}: the three stores, the source, the processor and both sinks.
     *
     * @param config how long closed reservations and done adjustmentIds are kept
     * @param serdes the value serdes of topics and stores (registry in production, unregistered in tests)
     */
    public static void define(StreamsBuilder builder, Config config, EventSerdes serdes) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STOCK_STORE),
                Serdes.String(), serdes.forValue(StockLevel.class)).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RESERVATIONS_STORE),
                Serdes.String(), serdes.forValue(StockReservation.class)).withCachingEnabled());
        builder.addStateStore(TimeIndex.storeBuilder(RETENTION_STORE));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ADJUSTMENTS_STORE),
                Serdes.String(), Serdes.Long()).withCachingEnabled());
        builder.addStateStore(TimeIndex.storeBuilder(ADJUSTMENT_RETENTION_STORE));

        KStream<String, SpecificRecord> outputs = builder
                .stream(Topics.INVENTORY_COMMANDS.name(), Topics.INVENTORY_COMMANDS.consumed(serdes))
                .process(() -> new InventoryProcessor(config), Named.as(PROCESSOR),
                        STOCK_STORE, RESERVATIONS_STORE, RETENTION_STORE, ADJUSTMENTS_STORE, ADJUSTMENT_RETENTION_STORE);
        outputs.split(Named.as("inventory-output-"))
                .branch((key, value) -> value instanceof InventoryReply, Branched.withConsumer(replies -> replies
                        .mapValues(value -> (InventoryReply) value, Named.as("as-inventory-reply"))
                        .to(Topics.INVENTORY_REPLIES.name(), Topics.INVENTORY_REPLIES.produced(serdes)), "replies"))
                .branch((key, value) -> value instanceof StockAdjustmentRejected, Branched.withConsumer(rejections -> rejections
                        .mapValues(value -> (StockAdjustmentRejected) value, Named.as("as-stock-adjustment-rejected"))
                        .to(Topics.STOCK_ADJUSTMENT_REJECTIONS.name(), Topics.STOCK_ADJUSTMENT_REJECTIONS.produced(serdes)),
                        "rejections"))
                .noDefaultBranch();
    }

    /** The topology on its own, as {@link #define} adds it to a fresh builder. */
    public static Topology build(Config config, EventSerdes serdes) {
        StreamsBuilder builder = new StreamsBuilder();
        define(builder, config, serdes);
        return builder.build();
    }

    /**
     * The {@link #RESERVATIONS_STORE} key of an order's reservation of a product: {@code orderId|productId}.
     * Product ids (catalog StockCodes) contain no {@code '|'}, so the productId is what follows the last
     * {@code '|'} and two different (orderId, productId) pairs never share a key.
     */
    public static String reservationKey(String orderId, String productId) {
        return orderId + "|" + productId;
    }
}
