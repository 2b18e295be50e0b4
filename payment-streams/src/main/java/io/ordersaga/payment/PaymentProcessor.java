package io.ordersaga.payment;

import io.ordersaga.common.TimeIndex;
import io.ordersaga.events.ChargePayment;
import io.ordersaga.events.CreditWallet;
import io.ordersaga.events.Payment;
import io.ordersaga.events.PaymentReply;
import io.ordersaga.events.PaymentSettlement;
import io.ordersaga.events.RefundPayment;
import io.ordersaga.events.Wallet;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link Payments} for the customers of one partition (input key customerId): reads what the command touches
 * (the order's payment and the wallet it belongs to, or whether the creditId was applied), applies the rules, then
 * writes and forwards the whole outcome. Every change of a command, and its reply, commits in one exactly-once
 * transaction; any exception before or while writing fails the task, which aborts the transaction.
 *
 * <p>Input values are the commands themselves: the {@code command} of a payment-commands record, or a
 * payment-settlements record. Retention: a payment that closes (DECLINED, REFUNDED, VOIDED, or CHARGED and settled)
 * is indexed in a {@link TimeIndex} at now + the payments' retention and deleted by the scan; an open payment
 * (CHARGED, not settled) is never deleted, so a refund that is still due always finds it. Wallets are never
 * deleted. Each applied creditId is kept (the epoch ms it was applied) for the credits' deduplication window.
 */
final class PaymentProcessor implements Processor<String, Object, String, PaymentReply> {

    private static final Logger log = LoggerFactory.getLogger(PaymentProcessor.class);

    private final PaymentTopology.Config config;
    private ProcessorContext<String, PaymentReply> context;
    private KeyValueStore<String, Wallet> wallets;
    private KeyValueStore<String, Payment> payments;
    private KeyValueStore<String, Long> credits;
    private TimeIndex paymentRetention;
    private TimeIndex creditRetention;

    /** @param config how long closed payments and applied creditIds are kept, and how often they are deleted */
    PaymentProcessor(PaymentTopology.Config config) {
        this.config = config;
    }

    /** Opens the stores and schedules the retention scans (wall clock, every scanIntervalMs). */
    @Override
    public void init(ProcessorContext<String, PaymentReply> context) {
        this.context = context;
        this.wallets = PaymentTopology.WALLETS.in(context);
        this.payments = PaymentTopology.PAYMENTS.in(context);
        this.credits = PaymentTopology.CREDITS.in(context);
        this.paymentRetention = new TimeIndex(PaymentTopology.PAYMENT_RETENTION.in(context));
        this.creditRetention = new TimeIndex(PaymentTopology.CREDIT_RETENTION.in(context));
        config.payments().scheduleScan(context, paymentRetention, payments);
        config.credits().scheduleScan(context, creditRetention, credits);
    }

    /**
     * Applies one command (key customerId).
     *
     * @throws io.ordersaga.common.InvalidRecordException for a command type this version does not know (the record
     *                                                    then goes to the dead-letter topic)
     */
    @Override
    public void process(Record<String, Object> record) {
        String customerId = record.key();
        Object command = record.value();
        if (customerId == null || command == null) {
            log.warn("Ignored a payment command without key or value (key {}, value {})", customerId, command);
            return;
        }
        long nowMs = context.currentSystemTimeMs();
        String orderId = switch (command) {
            case ChargePayment charge -> charge.getOrderId();
            case RefundPayment refund -> refund.getOrderId();
            case PaymentSettlement settlement -> settlement.getOrderId();
            default -> null;
        };
        String creditId = command instanceof CreditWallet credit ? credit.getCreditId() : null;
        Payment payment = orderId == null ? null : payments.get(orderId);
        String walletOwner = payment != null ? payment.getCustomerId() : customerId;
        Wallet wallet = wallets.get(walletOwner);
        Payments.State state = new Payments.State(wallet != null ? wallet : new Wallet(walletOwner, 0L, 0L, 0L, 0L), payment,
                creditId != null && credits.get(creditId) != null);

        Payments.Step step = Payments.apply(state, customerId, command, nowMs);

        if (step.wallet() != null) {
            wallets.put(step.wallet().getCustomerId(), step.wallet());
        }
        if (step.payment() != null) {
            payments.put(orderId, step.payment());
            if (step.closed()) {
                paymentRetention.put(nowMs + config.payments().retentionMs(), orderId);
            }
        }
        if (step.recordCredit()) {
            credits.put(creditId, nowMs);
            creditRetention.put(nowMs + config.credits().retentionMs(), creditId);
        }
        if (step.reply() != null) {
            context.forward(record.withKey(step.reply().getOrderId()).withValue(step.reply()));
        }
    }
}
