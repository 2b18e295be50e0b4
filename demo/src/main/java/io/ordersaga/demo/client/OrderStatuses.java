package io.ordersaga.demo.client;

import java.util.Set;

/**
 * The order statuses order-api answers in {@code GET /orders/{orderId}} and {@code GET /customers/{id}/orders}, as
 * strings (the names of the Avro enum {@code io.ordersaga.events.OrderStatus}, schemas/avro/src/main/avro/common/OrderStatus.avsc).
 */
public final class OrderStatuses {

    /**
     * The statuses a saga ends in and never leaves: CONFIRMED, CANCELLED and REJECTED (the others, PENDING,
     * RESERVING and PAYING, are on the way). A long poll ({@code ?waitMs=}) answers as soon as the order is in one.
     */
    public static final Set<String> TERMINAL = Set.of("CONFIRMED", "CANCELLED", "REJECTED");

    private OrderStatuses() {
    }
}
