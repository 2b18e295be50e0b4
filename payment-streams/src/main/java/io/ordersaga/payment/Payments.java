package io.ordersaga.payment;

import io.ordersaga.common.InvalidRecordException;
import io.ordersaga.events.ChargePayment;
import io.ordersaga.events.CreditWallet;
import io.ordersaga.events.DeclineReason;
import io.ordersaga.events.Payment;
import io.ordersaga.events.PaymentCharged;
import io.ordersaga.events.PaymentDeclined;
import io.ordersaga.events.PaymentReply;
import io.ordersaga.events.PaymentSettlement;
import io.ordersaga.events.PaymentState;
import io.ordersaga.events.RefundPayment;
import io.ordersaga.events.Wallet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/**
 * The payment rules, as a pure function: one command against the wallet and payment it touches, no I/O, "now"
 * passed in. Amounts are pence. {@link PaymentProcessor} reads that state (key customerId, one task per wallet),
 * applies, then writes and forwards the whole outcome.
 *
 * <p>Rules (from the schemas' docs, which they implement):
 * <ul>
 *   <li>ChargePayment is idempotent per orderId: a repeat while CHARGED (and not settled) re-emits PaymentCharged; a
 *       repeat of a DECLINED one re-emits the decline; a repeat after the payment was REFUNDED or settled is declined
 *       with PAYMENT_CLOSED (never PaymentCharged: nothing is charged for it any more); a charge after a refund that
 *       came first (VOIDED) is declined with ORDER_VOIDED. An unknown wallet has balance 0.</li>
 *   <li>RefundPayment gives a CHARGED, unsettled payment's amount back to the wallet it was charged to; refunding an
 *       unknown payment records it VOIDED; a settled payment is final and is never refunded (logged at WARN).</li>
 *   <li>PaymentSettlement (the saga confirmed the order) marks a CHARGED payment settled: final, and closed.</li>
 *   <li>CreditWallet adds to the balance; each creditId is applied once within the deduplication window.</li>
 *   <li>Invariant of every wallet: credited = balance + charged - refunded, with balance &gt;= 0.</li>
 * </ul>
 *
 * <p>A payment is open while CHARGED and not settled: it can still be refunded, so it never expires. Every other
 * payment is closed and expires after retention. A command that breaks its schema's contract (an amount &lt; 1
 * pence) changes nothing and emits nothing (logged at WARN).
 */
final class Payments {

    private static final Logger log = LoggerFactory.getLogger(Payments.class);

    private Payments() {
    }

    /**
     * What a command touches, as read before it is applied.
     *
     * @param wallet         the command's customer's wallet; an all-zero one when there is none. For a refund or
     *                       settlement of a known payment: the wallet the payment was charged to
     * @param payment        for a charge, refund or settlement: the order's payment, or null; null for a credit
     * @param creditRecorded for a credit: true when its creditId was applied already
     */
    record State(Wallet wallet, Payment payment, boolean creditRecorded) {
    }

    /**
     * The outcome of one command.
     *
     * @param wallet       the wallet's new record, or null when unchanged
     * @param payment      the payment's new record, or null when unchanged
     * @param closed       true when {@code payment} just closed (it then expires after retention)
     * @param recordCredit true when the creditId is to be recorded as applied
     * @param reply        the reply to emit (key orderId), or null
     */
    record Step(Wallet wallet, Payment payment, boolean closed, boolean recordCredit, PaymentReply reply) {

        static final Step NOTHING = new Step(null, null, false, false, null);
    }

    /**
     * Applies {@code command} (key customerId) to {@code state}.
     *
     * @param customerId the record key
     * @param command    a {@link ChargePayment}, {@link RefundPayment} or {@link CreditWallet} (topic payment-commands)
     *                   or a {@link PaymentSettlement} (topic payment-settlements)
     * @param nowMs      wall-clock time, epoch ms; becomes a changed payment's updatedAt
     * @throws InvalidRecordException for a command type this version does not know
     */
    static Step apply(State state, String customerId, Object command, long nowMs) {
        return switch (command) {
            case ChargePayment charge -> charge(state, customerId, charge, nowMs);
            case RefundPayment refund -> refund(state, customerId, refund.getOrderId(), nowMs);
            case PaymentSettlement settlement -> settle(state, settlement, nowMs);
            case CreditWallet credit -> credit(state, customerId, credit);
            default -> throw new InvalidRecordException("Unknown payment command for customer " + customerId + ": " + command);
        };
    }

    private static Step charge(State state, String customerId, ChargePayment charge, long nowMs) {
        String orderId = charge.getOrderId();
        Payment existing = state.payment();
        if (existing != null) {
            Object outcome = switch (existing.getState()) {
                case CHARGED -> existing.getSettled()
                        ? new PaymentDeclined(charge.getAmount(), state.wallet().getBalance(), DeclineReason.PAYMENT_CLOSED)
                        : new PaymentCharged(existing.getAmount());
                case DECLINED -> new PaymentDeclined(existing.getAmount(), existing.getBalance(), DeclineReason.INSUFFICIENT_FUNDS);
                case REFUNDED -> new PaymentDeclined(charge.getAmount(), state.wallet().getBalance(), DeclineReason.PAYMENT_CLOSED);
                case VOIDED -> new PaymentDeclined(charge.getAmount(), state.wallet().getBalance(), DeclineReason.ORDER_VOIDED);
            };
            return new Step(null, null, false, false, new PaymentReply(orderId, existing.getCustomerId(), outcome));
        }
        long amount = charge.getAmount();
        if (amount < 1) {
            log.warn("Ignored ChargePayment of {} pence to {} for order {}: the amount must be >= 1", amount, customerId, orderId);
            return Step.NOTHING;
        }
        long balance = state.wallet().getBalance();
        if (balance < amount) {
            return new Step(null, payment(orderId, customerId, amount, PaymentState.DECLINED, balance, nowMs), true, false,
                    new PaymentReply(orderId, customerId, new PaymentDeclined(amount, balance, DeclineReason.INSUFFICIENT_FUNDS)));
        }
        Wallet wallet = copy(state.wallet());
        wallet.setBalance(balance - amount);
        wallet.setCharged(wallet.getCharged() + amount);
        return new Step(wallet, payment(orderId, customerId, amount, PaymentState.CHARGED, 0L, nowMs), false, false,
                new PaymentReply(orderId, customerId, new PaymentCharged(amount)));
    }

    /**
     * Refunds to the wallet that was charged (the payment's customerId, held by this task), even if the command
     * names another customer of this partition.
     */
    private static Step refund(State state, String customerId, String orderId, long nowMs) {
        Payment payment = state.payment();
        if (payment == null) {
            return new Step(null, payment(orderId, customerId, 0L, PaymentState.VOIDED, 0L, nowMs), true, false, null);
        }
        if (payment.getState() != PaymentState.CHARGED) {
            return Step.NOTHING;
        }
        if (payment.getSettled()) {
            log.warn("Refused RefundPayment of order {}: its charge of {} pence to {} was settled (the order is confirmed)",
                    orderId, payment.getAmount(), payment.getCustomerId());
            return Step.NOTHING;
        }
        Wallet wallet = copy(state.wallet());
        wallet.setBalance(wallet.getBalance() + payment.getAmount());
        wallet.setRefunded(wallet.getRefunded() + payment.getAmount());
        Payment refunded = Payment.newBuilder(payment).setState(PaymentState.REFUNDED).setUpdatedAt(Instant.ofEpochMilli(nowMs)).build();
        return new Step(wallet, refunded, true, false, null);
    }

    private static Step settle(State state, PaymentSettlement settlement, long nowMs) {
        Payment payment = state.payment();
        if (payment == null || payment.getState() != PaymentState.CHARGED || payment.getSettled()) {
            if (payment == null || !payment.getSettled()) {
                log.warn("Ignored the settlement of order {}: its payment is {}", settlement.getOrderId(),
                        payment == null ? "unknown" : payment.getState());
            }
            return Step.NOTHING;
        }
        return new Step(null, Payment.newBuilder(payment).setSettled(true).setUpdatedAt(Instant.ofEpochMilli(nowMs)).build(),
                true, false, null);
    }

    private static Step credit(State state, String customerId, CreditWallet credit) {
        if (state.creditRecorded()) {
            log.debug("Credit {} to {} repeated: already applied", credit.getCreditId(), customerId);
            return Step.NOTHING;
        }
        long amount = credit.getAmount();
        if (amount < 1) {
            log.warn("Ignored CreditWallet {} of {} pence to {}: the amount must be >= 1", credit.getCreditId(), amount, customerId);
            return Step.NOTHING;
        }
        Wallet wallet = copy(state.wallet());
        wallet.setBalance(wallet.getBalance() + amount);
        wallet.setCredited(wallet.getCredited() + amount);
        return new Step(wallet, null, false, true, null);
    }

    private static Wallet copy(Wallet wallet) {
        return Wallet.newBuilder(wallet).build();
    }

    private static Payment payment(String orderId, String customerId, long amount, PaymentState state, long balance, long nowMs) {
        return new Payment(orderId, customerId, amount, state, false, balance, Instant.ofEpochMilli(nowMs));
    }
}
