package io.ordersaga.common.json;

import io.ordersaga.events.CustomerOrders;
import io.ordersaga.events.OrderSummary;

import java.time.Instant;
import java.util.List;

/**
 * The JSON of {@code GET /customers/{customerId}/orders} (order-view-streams): the customer's orders, newest first by createdAt. The
 * listing is updated when an order is placed and when it ends, not in between.
 *
 * @param customerId the customer
 * @param orders     newest first; empty for a customer with no order
 */
public record CustomerOrdersJson(String customerId, List<Summary> orders) {

    /** The JSON of a customer's index entry, or an empty list when {@code index} is null. */
    public static CustomerOrdersJson of(String customerId, CustomerOrders index) {
        return new CustomerOrdersJson(customerId,
                index == null ? List.of() : index.getOrders().stream().map(Summary::of).toList());
    }

    /**
     * One order of the customer.
     *
     * @param orderId   the order
     * @param status    its status when placed (RESERVING, also while it is being paid) or, once it ended, its final
     *                  status (CONFIRMED, CANCELLED or REJECTED)
     * @param reason    why it was cancelled or rejected; null otherwise
     * @param total     total in pence
     * @param currency  ISO 4217 currency of total
     * @param createdAt when order-api accepted it
     * @param updatedAt when the saga set the listed status
     */
    public record Summary(String orderId, String status, String reason, long total, String currency,
                          Instant createdAt, Instant updatedAt) {

        /** The JSON of one summary. */
        public static Summary of(OrderSummary summary) {
            return new Summary(summary.getOrderId(), summary.getStatus().name(),
                    summary.getReason() == null ? null : summary.getReason().name(), summary.getTotal(),
                    summary.getCurrency(), summary.getCreatedAt(), summary.getUpdatedAt());
        }
    }
}
