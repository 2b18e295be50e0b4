package io.ordersaga.common.json;

/**
 * The JSON of {@code GET /customers/{customerId}/wallet} (payment-streams): a customer's wallet, in pence.
 * Invariant: credited = balance + charged - refunded.
 *
 * @param customerId the owner
 * @param balance    spendable amount
 * @param credited   sum of all top-ups
 * @param charged    sum of all charges
 * @param refunded   sum of all refunds
 */
public record WalletJson(String customerId, long balance, long credited, long charged, long refunded) {
}
