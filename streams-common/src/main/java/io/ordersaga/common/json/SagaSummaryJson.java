package io.ordersaga.common.json;

/**
 * One saga as an operator lists it ({@code GET /sagas} of order-saga-streams, {@code GET /admin/sagas} of
 * order-api).
 *
 * @param orderId    the order
 * @param customerId who ordered
 * @param status     its current status
 * @param total      the order's total, pence
 * @param createdAt  when order-api accepted it, epoch ms
 * @param updatedAt  when it entered its current status, epoch ms
 * @param ageMs      time in its current status when listed, ms
 */
public record SagaSummaryJson(String orderId, String customerId, String status, long total, long createdAt,
                              long updatedAt, long ageMs) {
}
