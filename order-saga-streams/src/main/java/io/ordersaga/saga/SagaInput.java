package io.ordersaga.saga;

import io.ordersaga.common.InvalidRecordException;
import io.ordersaga.events.CancelOrder;
import io.ordersaga.events.InventoryReply;
import io.ordersaga.events.OrderRequest;
import io.ordersaga.events.PaymentCharged;
import io.ordersaga.events.PaymentDeclined;
import io.ordersaga.events.PaymentReply;
import io.ordersaga.events.PlaceOrder;
import io.ordersaga.events.StockRejected;
import io.ordersaga.events.StockReserved;

/**
 * Everything that can happen to one order's saga: a request from order-api, a reply from inventory or payment,
 * or its deadline passing. Every variant carries the orderId it is for, which is the record key of the topic it
 * came from (all three input topics are keyed by orderId and co-partitioned, so one task sees all of an order's inputs).
 */
public sealed interface SagaInput {

    /** The order this input is for; also the saga store key. */
    String orderId();

    /**
     * The customer places the order (topic order-requests).
     *
     * @param requestedAtMs when order-api accepted it, epoch ms; becomes the order's createdAt
     */
    record Place(String orderId, PlaceOrder order, long requestedAtMs) implements SagaInput {
    }

    /**
     * A customer asks to cancel the order (topic order-requests, a {@link CancelOrder} with admin false).
     *
     * @param requestedBy the customerId of who asked; null in records written before the field existed
     */
    record Cancel(String orderId, String requestedBy) implements SagaInput {
    }

    /**
     * An operator cancels the in-flight order with compensation (topic order-requests, a {@link CancelOrder} with
     * admin true, written by order-api's {@code POST /admin/orders/{orderId}/compensate}): reason ADMIN_CANCELLED.
     */
    record Compensate(String orderId) implements SagaInput {
    }

    /**
     * Inventory holds {@code quantity} units of {@code productId} for the order (topic inventory-replies).
     */
    record Reserved(String orderId, String productId, int quantity) implements SagaInput {
    }

    /**
     * Inventory reserved nothing of {@code productId} for the order (topic inventory-replies).
     */
    record ReservationRejected(String orderId, String productId, StockRejected rejection) implements SagaInput {
    }

    /**
     * Payment took {@code amount} pence from {@code customerId}'s wallet for the order (topic payment-replies).
     */
    record Charged(String orderId, String customerId, long amount) implements SagaInput {
    }

    /**
     * Payment charged nothing to {@code customerId} for the order (topic payment-replies).
     */
    record Declined(String orderId, String customerId, PaymentDeclined decline) implements SagaInput {
    }

    /**
     * The saga's deadline passed (from the saga's wall-clock punctuator): a timeout while the saga is in flight,
     * the end of its retention once it is terminal.
     */
    record Timeout(String orderId) implements SagaInput {
    }

    /**
     * The input of one order-requests record.
     *
     * @param orderId the record key
     * @throws InvalidRecordException for a tombstone (null value) or a request neither PlaceOrder nor CancelOrder: the
     *                                processing exception handler dead-letters the record
     */
    static SagaInput of(String orderId, OrderRequest request) {
        return switch (valueOf(orderId, request).getRequest()) {
            case PlaceOrder place -> new Place(orderId, place, request.getRequestedAt().toEpochMilli());
            case CancelOrder cancel when cancel.getAdmin() -> new Compensate(orderId);
            case CancelOrder cancel -> new Cancel(orderId, cancel.getRequestedBy());
            default -> throw new InvalidRecordException("Unknown order request for order " + orderId + ": " + request.getRequest());
        };
    }

    /**
     * The input of one inventory-replies record.
     *
     * @param orderId the record key
     * @throws InvalidRecordException for a tombstone (null value) or an outcome neither StockReserved nor StockRejected
     */
    static SagaInput of(String orderId, InventoryReply reply) {
        return switch (valueOf(orderId, reply).getOutcome()) {
            case StockReserved reserved -> new Reserved(orderId, reply.getProductId(), reserved.getQuantity());
            case StockRejected rejected -> new ReservationRejected(orderId, reply.getProductId(), rejected);
            default -> throw new InvalidRecordException("Unknown inventory outcome for order " + orderId + ": " + reply.getOutcome());
        };
    }

    /**
     * The input of one payment-replies record.
     *
     * @param orderId the record key
     * @throws InvalidRecordException for a tombstone (null value) or an outcome neither PaymentCharged nor PaymentDeclined
     */
    static SagaInput of(String orderId, PaymentReply reply) {
        return switch (valueOf(orderId, reply).getOutcome()) {
            case PaymentCharged charged -> new Charged(orderId, reply.getCustomerId(), charged.getAmount());
            case PaymentDeclined declined -> new Declined(orderId, reply.getCustomerId(), declined);
            default -> throw new InvalidRecordException("Unknown payment outcome for order " + orderId + ": " + reply.getOutcome());
        };
    }

    /**
     * The record's value, which a saga input must have.
     *
     * @throws InvalidRecordException for a tombstone (null value) or a record without a key
     */
    private static <V> V valueOf(String orderId, V value) {
        if (orderId == null || value == null) {
            throw new InvalidRecordException("A saga input needs a key and a value, got key " + orderId + ", value " + value);
        }
        return value;
    }
}
