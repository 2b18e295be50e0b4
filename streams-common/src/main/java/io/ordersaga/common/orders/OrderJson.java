package io.ordersaga.common.orders;

import io.ordersaga.events.OrderEvent;
import io.ordersaga.events.OrderLine;

import java.time.Instant;
import java.util.List;

/**
 * The JSON of {@code GET /orders/{orderId}}: an order's latest snapshot. Money in pence, instants ISO-8601 (UTC).
 *
 * @param orderId      the order
 * @param customerId   who ordered
 * @param status       PENDING, RESERVING, PAYING, CONFIRMED, CANCELLED or REJECTED
 * @param reason       why the order was cancelled or rejected (for example OUT_OF_STOCK); null otherwise
 * @param reasonDetail human-readable detail of the reason; null when none
 * @param lines        the priced lines, one per product
 * @param total        sum of the line totals, in pence; 0 while unpriced or when the order could not be priced
 * @param currency     ISO 4217 currency of every amount
 * @param createdAt    when order-api accepted the order
 * @param updatedAt    when the saga made the latest change
 */
public record OrderJson(String orderId, String customerId, String status, String reason, String reasonDetail,
                        List<Line> lines, long total, String currency, Instant createdAt, Instant updatedAt) {

    /** The JSON of one order snapshot. */
    public static OrderJson of(OrderEvent order) {
        return new OrderJson(order.getOrderId(), order.getCustomerId(), order.getStatus().name(),
                order.getReason() == null ? null : order.getReason().name(), order.getReasonDetail(),
                order.getLines().stream().map(Line::of).toList(), order.getTotal(), order.getCurrency(),
                order.getCreatedAt(), order.getUpdatedAt());
    }

    /**
     * One priced line.
     *
     * @param productId   catalog product id
     * @param productName catalog name at pricing time; null when the product is unknown
     * @param quantity    units ordered
     * @param unitPrice   price of one unit at pricing time, in pence; null when the product is unknown
     * @param lineTotal   quantity x unitPrice, in pence; null when the product is unknown
     */
    public record Line(String productId, String productName, int quantity, Long unitPrice, Long lineTotal) {

        /** The JSON of one line. */
        public static Line of(OrderLine line) {
            return new Line(line.getProductId(), line.getProductName(), line.getQuantity(), line.getUnitPrice(),
                    line.getLineTotal());
        }
    }
}
