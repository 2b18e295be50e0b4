package io.ordersaga.common;

import io.ordersaga.events.InventoryCommand;
import io.ordersaga.events.InventoryReply;
import io.ordersaga.events.OrderEvent;
import io.ordersaga.events.OrderRequest;
import io.ordersaga.events.PaymentCommand;
import io.ordersaga.events.PaymentReply;
import io.ordersaga.events.PaymentSettlement;
import io.ordersaga.events.Product;
import io.ordersaga.events.StockAdjustmentRejected;

import java.util.List;

/**
 * The topic catalogue: every topic between the services, declared once with its key and value type.
 *
 * <p>Partitioning: commands to a service are keyed by what that service's state is keyed by
 * (inventory by productId, payments by customerId); replies and order events are keyed by orderId,
 * so {@link #ORDER_REQUESTS}, {@link #INVENTORY_REPLIES} and {@link #PAYMENT_REPLIES} are
 * co-partitioned for the saga (same key, same partition count, checked at start by {@link CoPartitioning}).
 */
public final class Topics {

    /** The catalog, key productId, compacted. Written by order-api, read as a global table by the saga. */
    public static final Topic<Product> PRODUCTS = new Topic<>("products", "productId", Product.class, true);

    /** Place and cancel requests, key orderId. Written by order-api, read by the saga. */
    public static final Topic<OrderRequest> ORDER_REQUESTS =
            new Topic<>("order-requests", "orderId", OrderRequest.class, false);

    /** Reserve, release, commit and adjust stock, key productId. Written by the saga and order-api, read by inventory. */
    public static final Topic<InventoryCommand> INVENTORY_COMMANDS =
            new Topic<>("inventory-commands", "productId", InventoryCommand.class, false);

    /** Reservation outcomes, key orderId. Written by inventory, read by the saga. */
    public static final Topic<InventoryReply> INVENTORY_REPLIES =
            new Topic<>("inventory-replies", "orderId", InventoryReply.class, false);

    /** Stock adjustments inventory refused, key productId. Written by inventory. */
    public static final Topic<StockAdjustmentRejected> STOCK_ADJUSTMENT_REJECTIONS =
            new Topic<>("stock-adjustment-rejections", "productId", StockAdjustmentRejected.class, false);

    /** Charge, refund and credit, key customerId. Written by the saga and order-api, read by payments. */
    public static final Topic<PaymentCommand> PAYMENT_COMMANDS =
            new Topic<>("payment-commands", "customerId", PaymentCommand.class, false);

    /**
     * Settlements of confirmed orders' charges, key customerId, co-partitioned with {@link #PAYMENT_COMMANDS} (the
     * task owning the wallet reads both). Written by the saga, read by payments, which then lets the payment expire.
     */
    public static final Topic<PaymentSettlement> PAYMENT_SETTLEMENTS =
            new Topic<>("payment-settlements", "customerId", PaymentSettlement.class, false);

    /** Charge outcomes, key orderId. Written by payments, read by the saga. */
    public static final Topic<PaymentReply> PAYMENT_REPLIES =
            new Topic<>("payment-replies", "orderId", PaymentReply.class, false);

    /**
     * The saga's order snapshots, key orderId, compacted: the latest snapshot of an order is the order. Written by
     * the saga, read by the read model, whose orders table holds the latest snapshot of each order.
     */
    public static final Topic<OrderEvent> ORDER_EVENTS = new Topic<>("order-events", "orderId", OrderEvent.class, true);

    /** Every topic above, in the order data flows through them. */
    public static final List<Topic<?>> ALL = List.of(PRODUCTS, ORDER_REQUESTS, INVENTORY_COMMANDS, INVENTORY_REPLIES,
            STOCK_ADJUSTMENT_REJECTIONS, PAYMENT_COMMANDS, PAYMENT_SETTLEMENTS, PAYMENT_REPLIES, ORDER_EVENTS);

    private Topics() {
    }

    /**
     * The dead-letter topic of one Streams application (Kafka Streams' own DLQ, KIP-1034): records it
     * could not deserialize or process land there, raw, with the error in the headers.
     *
     * @param applicationId the Streams application.id, for example {@code inventory-streams}
     */
    public static String deadLetters(String applicationId) {
        return applicationId + "-dead-letters";
    }
}
