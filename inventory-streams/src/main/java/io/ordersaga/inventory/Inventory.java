package io.ordersaga.inventory;

import io.ordersaga.common.InvalidRecordException;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/**
 * The inventory's rules, as a pure function: one command against the state it touches, no I/O, "now" passed in.
 * {@link InventoryProcessor} reads that state (key productId, one task per product), applies, then writes and
 * forwards the whole outcome, so a failure can never leave half of it written.
 *
 * <p>Rules (from the schemas' docs, which they implement):
 * <ul>
 *   <li>ReserveStock is idempotent per (orderId, productId): a repeat while RESERVED re-emits StockReserved; a
 *       repeat of a REJECTED one re-emits the refusal; a repeat after COMMITTED or RELEASED is refused with
 *       RESERVATION_CLOSED (never StockReserved: no units are held for it any more); a reserve after a release that
 *       came first (VOIDED) is refused with RESERVATION_VOIDED. A product with no stock record has 0 available.</li>
 *   <li>ReleaseStock gives a RESERVED reservation's units back; releasing an unknown reservation records it VOIDED.
 *       CommitStock turns a RESERVED reservation's units into sold; nothing else is ever sold.</li>
 *   <li>AdjustStock adds delta to available, unless that would go below zero: then it is refused whole with a
 *       {@link StockAdjustmentRejected}. Each adjustmentId is applied (or refused) once: a repeat within the
 *       deduplication window changes nothing and emits nothing.</li>
 *   <li>Invariant of every stock record: adjusted = available + reserved + sold, each of them &gt;= 0.</li>
 * </ul>
 *
 * <p>A command that breaks its schema's contract (a ReserveStock of fewer than 1 unit) changes nothing and emits
 * nothing (logged at WARN).
 */
final class Inventory {

    private static final Logger log = LoggerFactory.getLogger(Inventory.class);

    private Inventory() {
    }

    /**
     * What a command touches, as read before it is applied.
     *
     * @param stock               the product's stock record; an all-zero one when it has none
     * @param reservation         for ReserveStock, ReleaseStock and CommitStock: the (orderId, productId)
     *                            reservation, or null when there is none; null for AdjustStock
     * @param adjustmentRecorded for AdjustStock: true when its adjustmentId was applied or refused already
     */
    record State(StockLevel stock, StockReservation reservation, boolean adjustmentRecorded) {
    }

    /**
     * The outcome of one command.
     *
     * @param stock             the product's new stock record, or null when unchanged
     * @param reservation       the reservation's new record, or null when unchanged
     * @param closed            true when {@code reservation} just closed (COMMITTED, RELEASED, REJECTED, VOIDED: it
     *                          never changes again, and expires after retention)
     * @param recordAdjustment  true when the adjustmentId is to be recorded as done
     * @param output            an {@link InventoryReply} (key orderId) or a {@link StockAdjustmentRejected} (key
     *                          productId) to emit, or null
     */
    record Step(StockLevel stock, StockReservation reservation, boolean closed, boolean recordAdjustment,
                SpecificRecord output) {

        static final Step NOTHING = new Step(null, null, false, false, null);
    }

    /**
     * Applies {@code command} (key productId) to {@code state}.
     *
     * @param nowMs wall-clock time, epoch ms; becomes a changed reservation's updatedAt
     * @throws InvalidRecordException for a command type this version does not know
     */
    static Step apply(State state, InventoryCommand command, long nowMs) {
        String productId = command.getProductId();
        return switch (command.getCommand()) {
            case ReserveStock reserve -> reserve(state, productId, reserve, nowMs);
            case ReleaseStock release -> release(state, productId, release.getOrderId(), nowMs);
            case CommitStock commit -> commit(state, productId, commit.getOrderId(), nowMs);
            case AdjustStock adjust -> adjust(state, productId, adjust);
            default -> throw new InvalidRecordException("Unknown inventory command for product " + productId + ": "
                    + command.getCommand());
        };
    }

    private static Step reserve(State state, String productId, ReserveStock reserve, long nowMs) {
        String orderId = reserve.getOrderId();
        StockReservation existing = state.reservation();
        long available = state.stock().getAvailable();
        if (existing != null) {
            SpecificRecord outcome = switch (existing.getState()) {
                case RESERVED -> new StockReserved(existing.getQuantity());
                case REJECTED -> new StockRejected(existing.getQuantity(), existing.getAvailable(), StockRejectReason.OUT_OF_STOCK);
                case COMMITTED, RELEASED -> new StockRejected(reserve.getQuantity(), available, StockRejectReason.RESERVATION_CLOSED);
                case VOIDED -> new StockRejected(reserve.getQuantity(), available, StockRejectReason.RESERVATION_VOIDED);
            };
            return new Step(null, null, false, false, new InventoryReply(orderId, productId, outcome));
        }
        int quantity = reserve.getQuantity();
        if (quantity < 1) {
            log.warn("Ignored ReserveStock of {} units of {} for order {}: quantity must be >= 1", quantity, productId, orderId);
            return Step.NOTHING;
        }
        if (available < quantity) {
            return new Step(null, reservation(orderId, productId, quantity, ReservationState.REJECTED, available, nowMs), true,
                    false, new InventoryReply(orderId, productId, new StockRejected(quantity, available, StockRejectReason.OUT_OF_STOCK)));
        }
        StockLevel stock = copy(state.stock());
        stock.setAvailable(available - quantity);
        stock.setReserved(stock.getReserved() + quantity);
        return new Step(stock, reservation(orderId, productId, quantity, ReservationState.RESERVED, 0, nowMs), false, false,
                new InventoryReply(orderId, productId, new StockReserved(quantity)));
    }

    private static Step release(State state, String productId, String orderId, long nowMs) {
        StockReservation reservation = state.reservation();
        if (reservation == null) {
            return new Step(null, reservation(orderId, productId, 0, ReservationState.VOIDED, 0, nowMs), true, false, null);
        }
        if (reservation.getState() != ReservationState.RESERVED) {
            return Step.NOTHING;
        }
        StockLevel stock = copy(state.stock());
        stock.setAvailable(stock.getAvailable() + reservation.getQuantity());
        stock.setReserved(stock.getReserved() - reservation.getQuantity());
        return new Step(stock, closedAs(reservation, ReservationState.RELEASED, nowMs), true, false, null);
    }

    private static Step commit(State state, String productId, String orderId, long nowMs) {
        StockReservation reservation = state.reservation();
        if (reservation == null || reservation.getState() != ReservationState.RESERVED) {
            if (reservation == null || reservation.getState() != ReservationState.COMMITTED) {
                log.warn("Ignored CommitStock of order {} for product {}: the reservation is {}, so nothing is sold",
                        orderId, productId, reservation == null ? "unknown" : reservation.getState());
            }
            return Step.NOTHING;
        }
        StockLevel stock = copy(state.stock());
        stock.setReserved(stock.getReserved() - reservation.getQuantity());
        stock.setSold(stock.getSold() + reservation.getQuantity());
        return new Step(stock, closedAs(reservation, ReservationState.COMMITTED, nowMs), true, false, null);
    }

    private static Step adjust(State state, String productId, AdjustStock adjust) {
        if (state.adjustmentRecorded()) {
            log.debug("Stock adjustment {} of {} repeated: already done", adjust.getAdjustmentId(), productId);
            return Step.NOTHING;
        }
        long available = state.stock().getAvailable();
        long delta = adjust.getDelta();
        if (available + delta < 0) {
            String reason = "write-off of " + -delta + " (" + adjust.getReason() + ") exceeds available " + available;
            return new Step(null, null, false, true,
                    new StockAdjustmentRejected(productId, adjust.getAdjustmentId(), delta, available, reason));
        }
        StockLevel stock = copy(state.stock());
        stock.setAvailable(available + delta);
        stock.setAdjusted(stock.getAdjusted() + delta);
        return new Step(stock, null, false, true, null);
    }

    private static StockLevel copy(StockLevel stock) {
        return StockLevel.newBuilder(stock).build();
    }

    private static StockReservation closedAs(StockReservation reservation, ReservationState state, long nowMs) {
        return reservation(reservation.getOrderId(), reservation.getProductId(), reservation.getQuantity(), state,
                reservation.getAvailable(), nowMs);
    }

    private static StockReservation reservation(String orderId, String productId, int quantity, ReservationState state,
                                                long available, long nowMs) {
        return new StockReservation(orderId, productId, quantity, state, available, Instant.ofEpochMilli(nowMs));
    }
}
