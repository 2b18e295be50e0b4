package io.ordersaga.saga;

import io.ordersaga.common.Retention;
import io.ordersaga.events.ChargePayment;
import io.ordersaga.events.CommitStock;
import io.ordersaga.events.InventoryCommand;
import io.ordersaga.events.LineReservation;
import io.ordersaga.events.OrderEvent;
import io.ordersaga.events.OrderLine;
import io.ordersaga.events.OrderReason;
import io.ordersaga.events.OrderSagaState;
import io.ordersaga.events.OrderStatus;
import io.ordersaga.events.PaymentCommand;
import io.ordersaga.events.PaymentDeclined;
import io.ordersaga.events.PaymentSettlement;
import io.ordersaga.events.PlaceOrder;
import io.ordersaga.events.Product;
import io.ordersaga.events.RefundPayment;
import io.ordersaga.events.ReleaseStock;
import io.ordersaga.events.RequestedLine;
import io.ordersaga.events.ReserveStock;
import io.ordersaga.events.StockRejected;
import io.ordersaga.saga.SagaInput.Cancel;
import io.ordersaga.saga.SagaInput.Charged;
import io.ordersaga.saga.SagaInput.Compensate;
import io.ordersaga.saga.SagaInput.Declined;
import io.ordersaga.saga.SagaInput.Place;
import io.ordersaga.saga.SagaInput.ReservationRejected;
import io.ordersaga.saga.SagaInput.Reserved;
import io.ordersaga.saga.SagaInput.Timeout;
import io.ordersaga.saga.SagaOutput.Published;
import io.ordersaga.saga.SagaOutput.Settle;
import io.ordersaga.saga.SagaOutput.ToInventory;
import io.ordersaga.saga.SagaOutput.ToPayment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static io.ordersaga.events.LineReservation.RESERVED;
import static io.ordersaga.events.LineReservation.REQUESTED;
import static io.ordersaga.events.OrderStatus.CANCELLED;
import static io.ordersaga.events.OrderStatus.CONFIRMED;
import static io.ordersaga.events.OrderStatus.PAYING;
import static io.ordersaga.events.OrderStatus.REJECTED;
import static io.ordersaga.events.OrderStatus.RESERVING;

/**
 * The order saga's state machine, as a pure function: one saga per orderId, no I/O, "now" passed in.
 *
 * <pre>
 *  Place ──invalid / unknown product──▶ REJECTED
 *    │ priced: ReserveStock per line
 *    ▼
 *  RESERVING ──every line Reserved──▶ PAYING ──Charged──▶ CONFIRMED (CommitStock per line, PaymentSettlement)
 *    │  ReservationRejected, Cancel,      │  Declined (no refund), Cancel,
 *    │  Compensate, Timeout,              │  Compensate, Timeout
 *    │  fraud check (v2)                  │
 *    ▼                                    ▼
 *  CANCELLED: compensate = ReleaseStock per line requested or reserved, RefundPayment if a charge was requested
 * </pre>
 *
 * <p>The fraud check (every line reserved, total above {@link #FRAUD_LIMIT_PENCE}: CANCELLED with FRAUD_SUSPECTED, no
 * charge) applies to sagas of {@link #STATE_VERSION} 2 and later only: a saga stored before the upgrade that added it
 * reads as version 1 and goes on to PAYING as it would have (see README, "Upgrading with sagas in flight").
 *
 * <p>Every status change emits the order's full snapshot ({@link OrderEvent}, currency GBP, updatedAt = now).
 * The saga's {@code deadline} is when it times out while RESERVING or PAYING, and once terminal when it leaves
 * the store (retention); a {@link Timeout} at or after it cancels (in flight) or deletes (terminal) the saga.
 *
 * <p>One orderId has one saga, ever. When a terminal saga leaves the store its terminal status is kept for ever
 * (the processor's ended-sagas store, passed in as {@code endedAs}), so a Place for an order that already ended (a
 * client re-POSTing its Idempotency-Key, however late) is ignored, and no command is ever sent twice for the same
 * (order, product) or order: a reply can only answer the one command that asked for it.
 *
 * <p>Late and duplicate replies are expected: a duplicate changes nothing; a reply whose quantity (Reserved,
 * ReservationRejected) or amount (Charged, Declined) is not what this saga asked for is ignored (logged at WARN; the
 * step's timeout then compensates); a Reserved or Charged reply for a CANCELLED order, or for an order this saga
 * never knew, is compensated again (ReleaseStock, RefundPayment; both idempotent downstream); anything else on a
 * terminal order is ignored, in particular a duplicate Charged of a CONFIRMED order, whose payment is settled.
 *
 * <p>A Cancel is taken only from the order's customer ({@code requestedBy}); a Cancel with no requestedBy (written
 * before that field existed) counts as the customer's; it ends the order with CUSTOMER_CANCELLED. A Compensate (an
 * operator's cancel) ends an in-flight order with ADMIN_CANCELLED; on a terminal or unknown order it changes nothing
 * (order-api answers 409 for an order the read model shows terminal).
 */
public final class OrderSaga {

    /** ISO 4217 currency of every amount. */
    public static final String CURRENCY = "GBP";

    /**
     * The saga-state format this code starts sagas in ({@code OrderSagaState.version}): 2, the first with the fraud
     * check. A saga keeps the version it started with, so a saga stored by an older release (which reads as version 1,
     * the field's default) finishes with the steps it started with.
     */
    public static final int STATE_VERSION = 2;

    /**
     * The fraud check, from version 2 on: once every line is reserved, an order whose total is above this many pence
     * (50,000 pounds) is cancelled with
     * FRAUD_SUSPECTED and its stock released, before any charge.
     */
    public static final long FRAUD_LIMIT_PENCE = 5_000_000;

    private static final Logger log = LoggerFactory.getLogger(OrderSaga.class);

    private final Timings config;

    /**
     * The saga's timing: the rules' durations, all in ms.
     *
     * @param reservationTimeoutMs how long RESERVING may last before the saga cancels with TIMEOUT, ms (default 30000)
     * @param paymentTimeoutMs     how long PAYING may last before the saga cancels with TIMEOUT, ms (default 30000)
     * @param retentionMs          how long a terminal saga stays in the store (answering late and duplicate
     *                             inputs) before it is deleted, ms (default 86400000, one day)
     * @param punctuateIntervalMs  how often the wall-clock punctuator looks for passed deadlines, ms (default 1000);
     *                             a deadline is acted on up to this late
     */
    public record Timings(long reservationTimeoutMs, long paymentTimeoutMs, long retentionMs, long punctuateIntervalMs) {

        /** @throws IllegalArgumentException when a duration is not positive */
        public Timings {
            if (reservationTimeoutMs <= 0 || paymentTimeoutMs <= 0 || retentionMs <= 0 || punctuateIntervalMs <= 0) {
                throw new IllegalArgumentException("Saga durations must be > 0 ms: reservationTimeoutMs=" + reservationTimeoutMs
                        + ", paymentTimeoutMs=" + paymentTimeoutMs + ", retentionMs=" + retentionMs
                        + ", punctuateIntervalMs=" + punctuateIntervalMs);
            }
        }

        /** 30 s to reserve, 30 s to pay, one day of retention ({@link Retention#DEFAULT_RETENTION_MS}), a punctuation every second. */
        public static Timings defaults() {
            return new Timings(30_000, 30_000, Retention.DEFAULT_RETENTION_MS, 1_000);
        }
    }

    /** @param config the saga's timeouts and retention, in ms */
    public OrderSaga(Timings config) {
        this.config = config;
    }

    /**
     * What the saga does with one input.
     *
     * @param saga    the saga stored under {@code input.orderId()}, or null when there is none
     * @param endedAs when {@code saga} is null: the terminal status of the order's saga if it ended and was removed
     *                after retention, or null when this orderId never had a saga
     * @param input   what happened
     * @param nowMs   wall-clock time, epoch ms
     * @param catalog productId to the current catalog entry, or to null when the product is unknown
     * @return the saga after the input and the records to send; {@link Step#state()} is {@code saga} itself when
     *         nothing changed, and null when the saga is to be deleted (the caller then keeps its terminal status)
     */
    public Step apply(OrderSagaState saga, OrderStatus endedAs, SagaInput input, long nowMs, Function<String, Product> catalog) {
        OrderStatus status = saga == null ? endedAs : saga.getOrder().getStatus();
        return switch (input) {
            case Place place when status == null -> place(place, nowMs, catalog);
            case Cancel cancel when inFlight(status) && !mayCancel(saga, cancel) -> ignored(saga, input,
                    "cancel requested by " + cancel.requestedBy() + ", not the order's customer " + saga.getOrder().getCustomerId());
            case Cancel cancel when inFlight(status) ->
                    cancel(saga, OrderReason.CUSTOMER_CANCELLED, "cancelled by the customer while " + status, true, nowMs);
            case Compensate compensate when inFlight(status) ->
                    cancel(saga, OrderReason.ADMIN_CANCELLED, "compensated by an operator while " + status, true, nowMs);
            case Reserved reserved when status == RESERVING && reserved.quantity() != quantityOf(saga, reserved.productId()) ->
                    ignored(saga, input, "reserved " + reserved.quantity() + " units of " + reserved.productId()
                            + ", the order asked for " + quantityOf(saga, reserved.productId()));
            case Reserved reserved when status == RESERVING -> reserved(saga, reserved, nowMs);
            case Reserved reserved when status == null || status == CANCELLED -> {
                log.debug("Late reservation of {} for {} order {}: releasing it", reserved.productId(), status == null ? "unknown" : status, reserved.orderId());
                yield new Step(saga, List.of(release(reserved.productId(), reserved.orderId())));
            }
            case ReservationRejected rejected when status == RESERVING
                    && rejected.rejection().getRequested() != quantityOf(saga, rejected.productId()) ->
                    ignored(saga, input, "refused " + rejected.rejection().getRequested() + " units of " + rejected.productId()
                            + ", the order asked for " + quantityOf(saga, rejected.productId()));
            case ReservationRejected rejected when status == RESERVING -> rejected(saga, rejected, nowMs);
            case Charged charged when status == PAYING && charged.amount() != saga.getOrder().getTotal() ->
                    ignored(saga, input, "charged " + charged.amount() + " pence, the order's total is " + saga.getOrder().getTotal());
            case Charged charged when status == PAYING -> confirm(saga, nowMs);
            case Charged charged when status == null || status == CANCELLED -> {
                log.debug("Late charge to {} for {} order {}: refunding it", charged.customerId(), status == null ? "unknown" : status, charged.orderId());
                yield new Step(saga, List.of(refund(charged.customerId(), charged.orderId())));
            }
            case Declined declined when status == PAYING && declined.decline().getAmount() != saga.getOrder().getTotal() ->
                    ignored(saga, input, "declined " + declined.decline().getAmount() + " pence, the order's total is "
                            + saga.getOrder().getTotal());
            case Declined declined when status == PAYING ->
                    cancel(saga, OrderReason.PAYMENT_DECLINED, declineDetail(declined.decline()), false, nowMs);
            case Timeout timeout when saga == null || saga.getDeadline() > nowMs -> unchanged(saga, input);
            case Timeout timeout when inFlight(status) -> cancel(saga, OrderReason.TIMEOUT, timeoutDetail(saga), true, nowMs);
            case Timeout timeout -> new Step(null, List.of()); // terminal, retention over: delete, keep the terminal status
            // A Place of an order that exists or ended, a duplicate reply, a Cancel of a terminal or unknown order,
            // any other reply to a terminal one.
            default -> unchanged(saga, input);
        };
    }

    /**
     * The outcome of one input.
     *
     * @param state   the saga after the input: the same instance when unchanged, null when it is to be deleted
     * @param outputs records to send, in order
     */
    public record Step(OrderSagaState state, List<SagaOutput> outputs) {
    }

    private static boolean inFlight(OrderStatus status) {
        return status == RESERVING || status == PAYING;
    }

    /** Who may cancel as a customer: the order's customer, or a cancel written before requestedBy existed. */
    private static boolean mayCancel(OrderSagaState saga, Cancel cancel) {
        return cancel.requestedBy() == null || cancel.requestedBy().equals(saga.getOrder().getCustomerId());
    }

    /** An input that does not answer what this saga asked, or comes from someone not allowed: logged, no change. */
    private static Step ignored(OrderSagaState saga, SagaInput input, String why) {
        log.warn("Ignored {} for {} order {}: {}", input.getClass().getSimpleName(), saga.getOrder().getStatus(),
                input.orderId(), why);
        return new Step(saga, List.of());
    }

    private static Step unchanged(OrderSagaState saga, SagaInput input) {
        log.debug("{} on {} order {}: no change", input.getClass().getSimpleName(),
                saga == null ? "unknown" : saga.getOrder().getStatus(), input.orderId());
        return new Step(saga, List.of());
    }

    /** Validates, merges and prices a new order; RESERVING with one ReserveStock per line, or REJECTED. */
    private Step place(Place place, long nowMs, Function<String, Product> catalog) {
        PlaceOrder order = place.order();
        String invalid = invalidity(order);
        if (invalid != null) {
            return reject(place, OrderReason.INVALID_ORDER, invalid, requestedAsIs(order), nowMs);
        }
        Map<String, Integer> quantities = new LinkedHashMap<>();
        List<OrderLine> lines = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        long total = 0;
        try {
            for (RequestedLine line : order.getLines()) {
                quantities.merge(line.getProductId(), line.getQuantity(), Math::addExact);
            }
            for (Map.Entry<String, Integer> line : quantities.entrySet()) {
                Product product = catalog.apply(line.getKey());
                if (product == null) {
                    unknown.add(line.getKey());
                    lines.add(new OrderLine(line.getKey(), null, line.getValue(), null, null));
                } else {
                    long lineTotal = Math.multiplyExact((long) line.getValue(), product.getUnitPrice());
                    total = Math.addExact(total, lineTotal);
                    lines.add(new OrderLine(line.getKey(), product.getName(), line.getValue(), product.getUnitPrice(), lineTotal));
                }
            }
        } catch (ArithmeticException overflow) {
            return reject(place, OrderReason.INVALID_ORDER, "quantities or total overflow", requestedAsIs(order), nowMs);
        }
        if (!unknown.isEmpty()) {
            return reject(place, OrderReason.UNKNOWN_PRODUCT, "unknown products: " + String.join(", ", unknown), lines, nowMs);
        }
        OrderEvent event = new OrderEvent(place.orderId(), order.getCustomerId(), RESERVING, null, null, lines, total,
                CURRENCY, Instant.ofEpochMilli(place.requestedAtMs()), Instant.ofEpochMilli(nowMs));
        List<SagaOutput> outputs = new ArrayList<>(lines.size() + 1);
        for (OrderLine line : lines) {
            outputs.add(new ToInventory(new InventoryCommand(line.getProductId(), new ReserveStock(place.orderId(), line.getQuantity()))));
        }
        outputs.add(new Published(event));
        OrderSagaState saga = new OrderSagaState(event, Collections.nCopies(lines.size(), REQUESTED), false,
                nowMs + config.reservationTimeoutMs(), STATE_VERSION);
        return new Step(saga, outputs);
    }

    /** Why the order cannot be placed, or null when it can: >= 1 line, every quantity >= 1, a customerId. */
    private static String invalidity(PlaceOrder order) {
        if (order.getCustomerId() == null || order.getCustomerId().isBlank()) {
            return "customerId is blank";
        }
        if (order.getLines() == null || order.getLines().isEmpty()) {
            return "order has no lines";
        }
        List<String> bad = order.getLines().stream().filter(l -> l.getQuantity() < 1)
                .map(l -> l.getProductId() + " x " + l.getQuantity()).toList();
        return bad.isEmpty() ? null : "quantity must be >= 1: " + String.join(", ", bad);
    }

    /** An invalid order's lines as requested (unmerged, unpriced), so the reader sees what was refused. */
    private static List<OrderLine> requestedAsIs(PlaceOrder order) {
        return order.getLines() == null ? List.of()
                : order.getLines().stream().map(l -> new OrderLine(l.getProductId(), null, l.getQuantity(), null, null)).toList();
    }

    /** REJECTED: nothing was requested of inventory or payment, so there is nothing to compensate. */
    private Step reject(Place place, OrderReason reason, String detail, List<OrderLine> lines, long nowMs) {
        OrderEvent event = new OrderEvent(place.orderId(), place.order().getCustomerId(), REJECTED, reason, detail, lines, 0L,
                CURRENCY, Instant.ofEpochMilli(place.requestedAtMs()), Instant.ofEpochMilli(nowMs));
        OrderSagaState saga = new OrderSagaState(event, Collections.nCopies(lines.size(), LineReservation.NOT_REQUESTED), false,
                nowMs + config.retentionMs(), STATE_VERSION);
        return new Step(saga, List.of(new Published(event)));
    }

    /**
     * A line is reserved; once every line is, PAYING with one ChargePayment of the total, unless the saga is of a
     * version with the fraud check and the total is above {@link #FRAUD_LIMIT_PENCE}: then CANCELLED with
     * FRAUD_SUSPECTED, every line released, nothing charged. Duplicates change nothing.
     */
    private Step reserved(OrderSagaState saga, Reserved reserved, long nowMs) {
        int line = lineOf(saga, reserved.productId());
        if (line < 0 || saga.getReservations().get(line) != REQUESTED) {
            return unchanged(saga, reserved);
        }
        List<LineReservation> reservations = new ArrayList<>(saga.getReservations());
        reservations.set(line, RESERVED);
        if (!reservations.stream().allMatch(r -> r == RESERVED)) {
            return new Step(with(saga, saga.getOrder(), reservations, saga.getDeadline()), List.of());
        }
        if (saga.getVersion() >= STATE_VERSION && saga.getOrder().getTotal() > FRAUD_LIMIT_PENCE) {
            return cancel(with(saga, saga.getOrder(), reservations, saga.getDeadline()), OrderReason.FRAUD_SUSPECTED,
                    "total " + saga.getOrder().getTotal() + " pence is above the fraud check's limit of " + FRAUD_LIMIT_PENCE
                            + " pence", false, nowMs);
        }
        OrderEvent event = next(saga.getOrder(), PAYING, null, null, nowMs);
        ChargePayment charge = new ChargePayment(event.getOrderId(), event.getTotal());
        return new Step(new OrderSagaState(event, reservations, true, nowMs + config.paymentTimeoutMs(), saga.getVersion()),
                List.of(new ToPayment(new PaymentCommand(event.getCustomerId(), charge)), new Published(event)));
    }

    /** A line could not be reserved: CANCELLED/OUT_OF_STOCK, and the other lines are released. */
    private Step rejected(OrderSagaState saga, ReservationRejected rejected, long nowMs) {
        int line = lineOf(saga, rejected.productId());
        if (line < 0 || saga.getReservations().get(line) != REQUESTED) {
            return unchanged(saga, rejected);
        }
        List<LineReservation> reservations = new ArrayList<>(saga.getReservations());
        reservations.set(line, LineReservation.REJECTED);
        StockRejected why = rejected.rejection();
        String detail = rejected.productId() + ": requested " + why.getRequested() + ", available " + why.getAvailable();
        return cancel(with(saga, saga.getOrder(), reservations, saga.getDeadline()),
                OrderReason.OUT_OF_STOCK, detail, true, nowMs);
    }

    /** The charge went through: CONFIRMED, every line's reservation is committed and the payment settled. */
    private Step confirm(OrderSagaState saga, long nowMs) {
        OrderEvent event = next(saga.getOrder(), CONFIRMED, null, null, nowMs);
        List<SagaOutput> outputs = new ArrayList<>(event.getLines().size() + 2);
        for (OrderLine line : event.getLines()) {
            outputs.add(new ToInventory(new InventoryCommand(line.getProductId(), new CommitStock(event.getOrderId()))));
        }
        outputs.add(new Settle(new PaymentSettlement(event.getCustomerId(), event.getOrderId(), event.getTotal())));
        outputs.add(new Published(event));
        return new Step(with(saga, event, saga.getReservations(), nowMs + config.retentionMs()), outputs);
    }

    /**
     * CANCELLED, with compensation: ReleaseStock for every line requested or reserved (a release that reaches
     * inventory before its reserve voids it), and RefundPayment when {@code refundIfCharged} and a charge was
     * requested (a refund that reaches payment before its charge voids it).
     */
    private Step cancel(OrderSagaState saga, OrderReason reason, String detail, boolean refundIfCharged, long nowMs) {
        OrderEvent event = next(saga.getOrder(), CANCELLED, reason, detail, nowMs);
        List<SagaOutput> outputs = new ArrayList<>(event.getLines().size() + 2);
        for (int i = 0; i < event.getLines().size(); i++) {
            LineReservation reservation = saga.getReservations().get(i);
            if (reservation == REQUESTED || reservation == RESERVED) {
                outputs.add(release(event.getLines().get(i).getProductId(), event.getOrderId()));
            }
        }
        if (refundIfCharged && saga.getChargeRequested()) {
            outputs.add(refund(event.getCustomerId(), event.getOrderId()));
        }
        outputs.add(new Published(event));
        return new Step(with(saga, event, saga.getReservations(), nowMs + config.retentionMs()), outputs);
    }

    /** {@code saga} with a new snapshot, reservations and deadline; its charge flag and version unchanged. */
    private static OrderSagaState with(OrderSagaState saga, OrderEvent order, List<LineReservation> reservations, long deadlineMs) {
        return new OrderSagaState(order, reservations, saga.getChargeRequested(), deadlineMs, saga.getVersion());
    }

    private String timeoutDetail(OrderSagaState saga) {
        if (saga.getOrder().getStatus() == PAYING) {
            return "no payment reply within " + config.paymentTimeoutMs() + " ms";
        }
        List<String> waiting = new ArrayList<>();
        for (int i = 0; i < saga.getReservations().size(); i++) {
            if (saga.getReservations().get(i) == REQUESTED) {
                waiting.add(saga.getOrder().getLines().get(i).getProductId());
            }
        }
        return "no reservation reply for " + String.join(", ", waiting) + " within " + config.reservationTimeoutMs() + " ms";
    }

    private static String declineDetail(PaymentDeclined decline) {
        return "charge of " + decline.getAmount() + " pence declined (" + decline.getReason() + "), balance "
                + decline.getBalance() + " pence";
    }

    /** Units the order asked for of {@code productId}; 0 when it has no such line. */
    private static int quantityOf(OrderSagaState saga, String productId) {
        int line = lineOf(saga, productId);
        return line < 0 ? 0 : saga.getOrder().getLines().get(line).getQuantity();
    }

    private static int lineOf(OrderSagaState saga, String productId) {
        List<OrderLine> lines = saga.getOrder().getLines();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).getProductId().equals(productId)) {
                return i;
            }
        }
        return -1;
    }

    /** The order's next snapshot: same lines and total (prices were snapshotted at placement), new status. */
    private static OrderEvent next(OrderEvent order, OrderStatus status, OrderReason reason, String detail, long nowMs) {
        return new OrderEvent(order.getOrderId(), order.getCustomerId(), status, reason, detail, order.getLines(),
                order.getTotal(), order.getCurrency(), order.getCreatedAt(), Instant.ofEpochMilli(nowMs));
    }

    private static SagaOutput release(String productId, String orderId) {
        return new ToInventory(new InventoryCommand(productId, new ReleaseStock(orderId)));
    }

    private static SagaOutput refund(String customerId, String orderId) {
        return new ToPayment(new PaymentCommand(customerId, new RefundPayment(orderId)));
    }
}
