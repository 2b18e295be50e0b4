package io.ordersaga.inventory;

import io.ordersaga.common.Retention;
import io.ordersaga.common.TimeIndex;
import io.ordersaga.events.AdjustStock;
import io.ordersaga.events.CommitStock;
import io.ordersaga.events.InventoryCommand;
import io.ordersaga.events.InventoryReply;
import io.ordersaga.events.ReleaseStock;
import io.ordersaga.events.ReserveStock;
import io.ordersaga.events.StockLevel;
import io.ordersaga.events.StockReservation;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link Inventory} for the products of one partition (input key productId): reads what the command touches
 * (the stock record, the (orderId, productId) reservation, or whether the adjustmentId was done), applies the rules,
 * then writes and forwards the whole outcome. Every change of a command, and its output, commits in one
 * exactly-once transaction; any exception before or while writing fails the task, which aborts the transaction.
 *
 * <p>Retention: a reservation that closes (COMMITTED, RELEASED, REJECTED, VOIDED; closed states never change again)
 * is indexed in a {@link TimeIndex} at now + the reservations' retention and deleted by the scan
 * {@link Retention#scheduleScan} runs; open (RESERVED) reservations and stock records are never deleted. Each
 * adjustmentId done is kept (the epoch ms it was done) for the adjustments' deduplication window, likewise.
 */
final class InventoryProcessor implements Processor<String, InventoryCommand, String, SpecificRecord> {

    private static final Logger log = LoggerFactory.getLogger(InventoryProcessor.class);

    private final InventoryTopology.Config config;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, StockLevel> stock;
    private KeyValueStore<String, StockReservation> reservations;
    private KeyValueStore<String, Long> adjustments;
    private TimeIndex reservationRetention;
    private TimeIndex adjustmentRetention;

    /** @param config how long closed reservations and done adjustmentIds are kept, and how often they are deleted */
    InventoryProcessor(InventoryTopology.Config config) {
        this.config = config;
    }

    /** Opens the stores and schedules the retention scans (wall clock, every scanIntervalMs). */
    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.stock = context.getStateStore(InventoryTopology.STOCK_STORE);
        this.reservations = context.getStateStore(InventoryTopology.RESERVATIONS_STORE);
        this.adjustments = context.getStateStore(InventoryTopology.ADJUSTMENTS_STORE);
        this.reservationRetention = new TimeIndex(context.getStateStore(InventoryTopology.RETENTION_STORE));
        this.adjustmentRetention = new TimeIndex(context.getStateStore(InventoryTopology.ADJUSTMENT_RETENTION_STORE));
        config.reservations().scheduleScan(context, reservationRetention, reservations);
        config.adjustments().scheduleScan(context, adjustmentRetention, adjustments);
    }

    /**
     * Applies one command (key productId).
     *
     * @throws io.ordersaga.common.InvalidRecordException for a command type this version does not know (the record
     *                                                    then goes to the dead-letter topic)
     */
    @Override
    public void process(Record<String, InventoryCommand> record) {
        String productId = record.key();
        InventoryCommand command = record.value();
        if (productId == null || command == null) {
            log.warn("Ignored an inventory command without key or value (key {}, value {})", productId, command);
            return;
        }
        long nowMs = context.currentSystemTimeMs();
        String reservationKey = reservationKey(command);
        String adjustmentId = command.getCommand() instanceof AdjustStock adjust ? adjust.getAdjustmentId() : null;
        StockLevel level = stock.get(productId);
        Inventory.State state = new Inventory.State(level != null ? level : new StockLevel(productId, 0L, 0L, 0L, 0L),
                reservationKey == null ? null : reservations.get(reservationKey),
                adjustmentId != null && adjustments.get(adjustmentId) != null);

        Inventory.Step step = Inventory.apply(state, command, nowMs);

        if (step.stock() != null) {
            stock.put(productId, step.stock());
        }
        if (step.reservation() != null) {
            reservations.put(reservationKey, step.reservation());
            if (step.closed()) {
                reservationRetention.put(nowMs + config.reservations().retentionMs(), reservationKey);
            }
        }
        if (step.recordAdjustment()) {
            adjustments.put(adjustmentId, nowMs);
            adjustmentRetention.put(nowMs + config.adjustments().retentionMs(), adjustmentId);
        }
        switch (step.output()) {
            case null -> { }
            case InventoryReply reply -> context.forward(record.withKey(reply.getOrderId()).withValue(reply));
            case SpecificRecord rejection -> context.forward(record.withValue(rejection));
        }
    }

    /** The reservation key a reserve, release or commit is about; null for an adjustment. */
    private static String reservationKey(InventoryCommand command) {
        return switch (command.getCommand()) {
            case ReserveStock reserve -> InventoryTopology.reservationKey(reserve.getOrderId(), command.getProductId());
            case ReleaseStock release -> InventoryTopology.reservationKey(release.getOrderId(), command.getProductId());
            case CommitStock commit -> InventoryTopology.reservationKey(commit.getOrderId(), command.getProductId());
            default -> null;
        };
    }
}
