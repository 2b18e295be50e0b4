package io.ordersaga.inventory;

import io.ordersaga.common.Retention;
import io.ordersaga.common.TimeIndex;
import io.ordersaga.events.AdjustStock;
import io.ordersaga.events.CommitStock;
import io.ordersaga.events.InventoryCommand;
import io.ordersaga.events.InventoryReply;
import io.ordersaga.events.ReleaseStock;
import io.ordersaga.events.ReservationState;
import io.ordersaga.events.ReserveStock;
import io.ordersaga.events.StockAdjustmentRejected;
import io.ordersaga.events.StockLevel;
import io.ordersaga.events.StockRejectReason;
import io.ordersaga.events.StockRejected;
import io.ordersaga.events.StockReservation;
import io.ordersaga.events.StockReserved;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/**
 * Applies inventory commands to the stock and reservations of the products of one partition (input key
 * productId). Every change of a command, and its output, commits in one exactly-once transaction.
 *
 * <p>Rules (from the schemas' docs, which they implement):
 * <ul>
 *   <li>ReserveStock is idempotent per (orderId, productId): a repeat re-emits the first outcome and changes
 *       nothing; a reserve after its release re-emits StockReserved (the saga then compensates idempotently);
 *       a reserve after a release that came first is refused with RESERVATION_VOIDED. A product with no stock
 *       record has 0 available.</li>
 *   <li>ReleaseStock gives a RESERVED reservation's units back; releasing an unknown reservation records it
 *       VOIDED. CommitStock turns a RESERVED reservation's units into sold; nothing else is ever sold.</li>
 *   <li>AdjustStock adds delta to available, unless that would go below zero: then it is refused whole with a
 *       {@link StockAdjustmentRejected}.</li>
 *   <li>Invariant of every stock record: adjusted = available + reserved + sold, each of them >= 0.</li>
 * </ul>
 *
 * <p>A command that breaks its schema's contract (no key or value, ReserveStock quantity &lt; 1) is logged at
 * WARN and ignored, with no change and no reply.
 *
 * <p>Retention: a reservation that closes (COMMITTED, RELEASED, REJECTED, VOIDED; closed states never change
 * again) is indexed in the {@link TimeIndex} at now + retentionMs, and deleted by the scan
 * {@link Retention#scheduleScan} runs. Open (RESERVED) reservations and stock records are never deleted.
 */
final class InventoryProcessor implements Processor<String, InventoryCommand, String, SpecificRecord> {

    private static final Logger log = LoggerFactory.getLogger(InventoryProcessor.class);

    private final Retention retention;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, StockLevel> stock;
    private KeyValueStore<String, StockReservation> reservations;
    private TimeIndex retentionIndex;

    /** @param retention how long closed reservations are kept, and how often expired ones are deleted */
    InventoryProcessor(Retention retention) {
        this.retention = retention;
    }

    /** Opens the stores and schedules the retention scan of closed reservations (wall clock, every scanIntervalMs). */
    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.stock = context.getStateStore(InventoryTopology.STOCK_STORE);
        this.reservations = context.getStateStore(InventoryTopology.RESERVATIONS_STORE);
        this.retentionIndex = new TimeIndex(context.getStateStore(InventoryTopology.RETENTION_STORE));
        retention.scheduleScan(context, retentionIndex, reservations);
    }

    /**
     * Applies one command (key productId).
     *
     * @throws IllegalArgumentException for a command type this version does not know (the record then goes to
     *                                  the dead-letter topic)
     */
    @Override
    public void process(Record<String, InventoryCommand> record) {
        String productId = record.key();
        if (productId == null || record.value() == null) {
            log.warn("Ignored an inventory command without key or value (key {}, value {})", productId, record.value());
            return;
        }
        long nowMs = context.currentSystemTimeMs();
        switch (record.value().getCommand()) {
            case ReserveStock reserve -> reserve(record, productId, reserve, nowMs);
            case ReleaseStock release -> release(productId, release.getOrderId(), nowMs);
            case CommitStock commit -> commit(productId, commit.getOrderId(), nowMs);
            case AdjustStock adjust -> adjust(record, productId, adjust);
            default -> throw new IllegalArgumentException("Unknown inventory command " + record.value().getCommand());
        }
    }

    private void reserve(Record<String, InventoryCommand> record, String productId, ReserveStock reserve, long nowMs) {
        String orderId = reserve.getOrderId();
        String key = InventoryTopology.reservationKey(orderId, productId);
        StockReservation existing = reservations.get(key);
        if (existing != null) {
            reply(record, orderId, productId, firstOutcome(existing, reserve, productId));
            return;
        }
        int quantity = reserve.getQuantity();
        if (quantity < 1) {
            log.warn("Ignored ReserveStock of {} units of {} for order {}: quantity must be >= 1", quantity, productId, orderId);
            return;
        }
        StockLevel level = levelOf(productId);
        long available = level.getAvailable();
        if (available >= quantity) {
            level.setAvailable(available - quantity);
            level.setReserved(level.getReserved() + quantity);
            stock.put(productId, level);
            reservations.put(key, reservation(orderId, productId, quantity, ReservationState.RESERVED, 0, nowMs));
            reply(record, orderId, productId, new StockReserved(quantity));
        } else {
            close(key, reservation(orderId, productId, quantity, ReservationState.REJECTED, available, nowMs), nowMs);
            reply(record, orderId, productId, new StockRejected(quantity, available, StockRejectReason.OUT_OF_STOCK));
        }
    }

    /** The outcome a repeated ReserveStock re-emits: what the first one for this reservation answered. */
    private SpecificRecord firstOutcome(StockReservation existing, ReserveStock reserve, String productId) {
        return switch (existing.getState()) {
            case RESERVED, COMMITTED, RELEASED -> new StockReserved(existing.getQuantity());
            case REJECTED -> new StockRejected(existing.getQuantity(), existing.getAvailable(), StockRejectReason.OUT_OF_STOCK);
            case VOIDED -> new StockRejected(reserve.getQuantity(), levelOf(productId).getAvailable(),
                    StockRejectReason.RESERVATION_VOIDED);
        };
    }

    private void release(String productId, String orderId, long nowMs) {
        String key = InventoryTopology.reservationKey(orderId, productId);
        StockReservation reservation = reservations.get(key);
        if (reservation == null) {
            close(key, reservation(orderId, productId, 0, ReservationState.VOIDED, 0, nowMs), nowMs);
            return;
        }
        if (reservation.getState() != ReservationState.RESERVED) {
            return;
        }
        StockLevel level = levelOf(productId);
        level.setAvailable(level.getAvailable() + reservation.getQuantity());
        level.setReserved(level.getReserved() - reservation.getQuantity());
        stock.put(productId, level);
        reservation.setState(ReservationState.RELEASED);
        reservation.setUpdatedAt(Instant.ofEpochMilli(nowMs));
        close(key, reservation, nowMs);
    }

    private void commit(String productId, String orderId, long nowMs) {
        String key = InventoryTopology.reservationKey(orderId, productId);
        StockReservation reservation = reservations.get(key);
        if (reservation == null) {
            log.warn("Ignored CommitStock of order {} for product {}: no such reservation, so nothing is sold", orderId, productId);
            return;
        }
        switch (reservation.getState()) {
            case RESERVED -> {
                StockLevel level = levelOf(productId);
                level.setReserved(level.getReserved() - reservation.getQuantity());
                level.setSold(level.getSold() + reservation.getQuantity());
                stock.put(productId, level);
                reservation.setState(ReservationState.COMMITTED);
                reservation.setUpdatedAt(Instant.ofEpochMilli(nowMs));
                close(key, reservation, nowMs);
            }
            case COMMITTED -> log.debug("CommitStock of order {} for product {} repeated", orderId, productId);
            case RELEASED, REJECTED, VOIDED -> log.warn("Ignored CommitStock of order {} for product {}: the reservation is {}, "
                    + "so nothing is sold", orderId, productId, reservation.getState());
        }
    }

    private void adjust(Record<String, InventoryCommand> record, String productId, AdjustStock adjust) {
        StockLevel level = levelOf(productId);
        long available = level.getAvailable();
        long delta = adjust.getDelta();
        if (available + delta < 0) {
            String reason = "write-off of " + -delta + " (" + adjust.getReason() + ") exceeds available " + available;
            context.forward(record.withValue(
                    new StockAdjustmentRejected(productId, adjust.getAdjustmentId(), delta, available, reason)));
            return;
        }
        level.setAvailable(available + delta);
        level.setAdjusted(level.getAdjusted() + delta);
        stock.put(productId, level);
    }

    /** Stores a reservation that will never change again, and schedules its deletion at now + retentionMs. */
    private void close(String key, StockReservation reservation, long nowMs) {
        reservations.put(key, reservation);
        retentionIndex.put(nowMs + retention.retentionMs(), key);
    }

    private void reply(Record<String, InventoryCommand> record, String orderId, String productId, SpecificRecord outcome) {
        context.forward(record.withKey(orderId).withValue(new InventoryReply(orderId, productId, outcome)));
    }

    /** The product's stock record, or a new all-zero one when it has none yet (not stored until put). */
    private StockLevel levelOf(String productId) {
        StockLevel level = stock.get(productId);
        return level != null ? level : new StockLevel(productId, 0L, 0L, 0L, 0L);
    }

    private static StockReservation reservation(String orderId, String productId, int quantity, ReservationState state,
                                                long available, long nowMs) {
        return new StockReservation(orderId, productId, quantity, state, available, Instant.ofEpochMilli(nowMs));
    }
}
