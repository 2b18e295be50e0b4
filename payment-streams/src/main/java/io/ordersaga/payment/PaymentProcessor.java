package io.ordersaga.payment;

import io.ordersaga.common.Retention;
import io.ordersaga.common.TimeIndex;
import io.ordersaga.events.ChargePayment;
import io.ordersaga.events.CreditWallet;
import io.ordersaga.events.DeclineReason;
import io.ordersaga.events.Payment;
import io.ordersaga.events.PaymentCharged;
import io.ordersaga.events.PaymentCommand;
import io.ordersaga.events.PaymentDeclined;
import io.ordersaga.events.PaymentReply;
import io.ordersaga.events.PaymentState;
import io.ordersaga.events.RefundPayment;
import io.ordersaga.events.Wallet;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/**
 * Applies payment commands to the wallets and payments of the customers of one partition (input key
 * customerId). Every change of a command, and its reply, commits in one exactly-once transaction. Amounts are
 * pence.
 *
 * <p>Rules (from the schemas' docs, which they implement):
 * <ul>
 *   <li>ChargePayment is idempotent per orderId: a repeat re-emits the first outcome (a charge later refunded
 *       still re-emits PaymentCharged; the saga then compensates idempotently) and changes nothing; a charge
 *       after a refund that came first is declined with ORDER_VOIDED. An unknown wallet has balance 0.</li>
 *   <li>RefundPayment gives a CHARGED payment's amount back to the wallet it was charged to; refunding an
 *       unknown payment records it VOIDED.</li>
 *   <li>CreditWallet adds to the balance.</li>
 *   <li>Invariant of every wallet: credited = balance + charged - refunded, with balance >= 0.</li>
 * </ul>
 *
 * <p>A command that breaks its schema's contract (no key or value, an amount &lt; 1 pence) is logged at WARN
 * and ignored, with no change and no reply; order-api validates credits before they get here.
 *
 * <p>Retention: every payment is indexed in the {@link TimeIndex} at (last change + retentionMs) and deleted by
 * the scan {@link Retention#scheduleScan} runs. That includes CHARGED payments, which a cancel could still
 * refund: the saga never compensates an order after its own retention, so a payment untouched that long is
 * closed. A refund moves the entry to (refund time + retentionMs). Wallets are never deleted.
 */
final class PaymentProcessor implements Processor<String, PaymentCommand, String, PaymentReply> {

    private static final Logger log = LoggerFactory.getLogger(PaymentProcessor.class);

    private final Retention retention;
    private ProcessorContext<String, PaymentReply> context;
    private KeyValueStore<String, Wallet> wallets;
    private KeyValueStore<String, Payment> payments;
    private TimeIndex retentionIndex;

    /** @param retention how long payments are kept after their last change, and how often expired ones are deleted */
    PaymentProcessor(Retention retention) {
        this.retention = retention;
    }

    /** Opens the stores and schedules the retention scan of payments (wall clock, every scanIntervalMs). */
    @Override
    public void init(ProcessorContext<String, PaymentReply> context) {
        this.context = context;
        this.wallets = context.getStateStore(PaymentTopology.WALLETS_STORE);
        this.payments = context.getStateStore(PaymentTopology.PAYMENTS_STORE);
        this.retentionIndex = new TimeIndex(context.getStateStore(PaymentTopology.RETENTION_STORE));
        retention.scheduleScan(context, retentionIndex, payments);
    }

    /**
     * Applies one command (key customerId).
     *
     * @throws IllegalArgumentException for a command type this version does not know (the record then goes to
     *                                  the dead-letter topic)
     */
    @Override
    public void process(Record<String, PaymentCommand> record) {
        String customerId = record.key();
        if (customerId == null || record.value() == null) {
            log.warn("Ignored a payment command without key or value (key {}, value {})", customerId, record.value());
            return;
        }
        long nowMs = context.currentSystemTimeMs();
        switch (record.value().getCommand()) {
            case ChargePayment charge -> charge(record, customerId, charge, nowMs);
            case RefundPayment refund -> refund(customerId, refund.getOrderId(), nowMs);
            case CreditWallet credit -> credit(customerId, credit);
            default -> throw new IllegalArgumentException("Unknown payment command " + record.value().getCommand());
        }
    }

    private void charge(Record<String, PaymentCommand> record, String customerId, ChargePayment charge, long nowMs) {
        String orderId = charge.getOrderId();
        Payment existing = payments.get(orderId);
        if (existing != null) {
            reply(record, orderId, existing.getCustomerId(), firstOutcome(existing, charge));
            return;
        }
        long amount = charge.getAmount();
        if (amount < 1) {
            log.warn("Ignored ChargePayment of {} pence to {} for order {}: the amount must be >= 1", amount, customerId, orderId);
            return;
        }
        Wallet wallet = walletOf(customerId);
        long balance = wallet.getBalance();
        if (balance >= amount) {
            wallet.setBalance(balance - amount);
            wallet.setCharged(wallet.getCharged() + amount);
            wallets.put(customerId, wallet);
            store(new Payment(orderId, customerId, amount, PaymentState.CHARGED, false, 0L, Instant.ofEpochMilli(nowMs)), nowMs);
            reply(record, orderId, customerId, new PaymentCharged(amount));
        } else {
            store(new Payment(orderId, customerId, amount, PaymentState.DECLINED, false, balance, Instant.ofEpochMilli(nowMs)), nowMs);
            reply(record, orderId, customerId, new PaymentDeclined(amount, balance, DeclineReason.INSUFFICIENT_FUNDS));
        }
    }

    /**
     * The outcome a repeated ChargePayment re-emits: what the first one for this order answered, about the wallet
     * the payment belongs to.
     */
    private Object firstOutcome(Payment existing, ChargePayment charge) {
        return switch (existing.getState()) {
            case CHARGED, REFUNDED -> new PaymentCharged(existing.getAmount());
            case DECLINED -> new PaymentDeclined(existing.getAmount(), existing.getBalance(), DeclineReason.INSUFFICIENT_FUNDS);
            case VOIDED -> new PaymentDeclined(charge.getAmount(), walletOf(existing.getCustomerId()).getBalance(),
                    DeclineReason.ORDER_VOIDED);
        };
    }

    /**
     * Refunds to the wallet that was charged (the payment's customerId, held by this task), even if the command
     * names another customer of this partition.
     */
    private void refund(String customerId, String orderId, long nowMs) {
        Payment payment = payments.get(orderId);
        if (payment == null) {
            store(new Payment(orderId, customerId, 0L, PaymentState.VOIDED, false, 0L, Instant.ofEpochMilli(nowMs)), nowMs);
            return;
        }
        if (payment.getState() != PaymentState.CHARGED) {
            return;
        }
        Wallet wallet = walletOf(payment.getCustomerId());
        wallet.setBalance(wallet.getBalance() + payment.getAmount());
        wallet.setRefunded(wallet.getRefunded() + payment.getAmount());
        wallets.put(payment.getCustomerId(), wallet);
        retentionIndex.remove(payment.getUpdatedAt().toEpochMilli() + retention.retentionMs(), orderId);
        payment.setState(PaymentState.REFUNDED);
        payment.setUpdatedAt(Instant.ofEpochMilli(nowMs));
        store(payment, nowMs);
    }

    private void credit(String customerId, CreditWallet credit) {
        long amount = credit.getAmount();
        if (amount < 1) {
            log.warn("Ignored CreditWallet {} of {} pence to {}: the amount must be >= 1", credit.getCreditId(), amount, customerId);
            return;
        }
        Wallet wallet = walletOf(customerId);
        wallet.setBalance(wallet.getBalance() + amount);
        wallet.setCredited(wallet.getCredited() + amount);
        wallets.put(customerId, wallet);
    }

    /** Stores a payment changed at nowMs and schedules its deletion at nowMs + retentionMs. */
    private void store(Payment payment, long nowMs) {
        payments.put(payment.getOrderId(), payment);
        retentionIndex.put(nowMs + retention.retentionMs(), payment.getOrderId());
    }

    private void reply(Record<String, PaymentCommand> record, String orderId, String customerId, Object outcome) {
        context.forward(record.withKey(orderId).withValue(new PaymentReply(orderId, customerId, outcome)));
    }

    /** The customer's wallet, or a new all-zero one when it has none yet (not stored until put). */
    private Wallet walletOf(String customerId) {
        Wallet wallet = wallets.get(customerId);
        return wallet != null ? wallet : new Wallet(customerId, 0L, 0L, 0L, 0L);
    }
}
