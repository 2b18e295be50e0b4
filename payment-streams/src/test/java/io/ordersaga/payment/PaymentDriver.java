package io.ordersaga.payment;

import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.Retention;
import io.ordersaga.common.Topics;
import io.ordersaga.common.testing.ServiceDriver;
import io.ordersaga.events.ChargePayment;
import io.ordersaga.events.CreditWallet;
import io.ordersaga.events.Payment;
import io.ordersaga.events.PaymentCommand;
import io.ordersaga.events.PaymentReply;
import io.ordersaga.events.PaymentSettlement;
import io.ordersaga.events.RefundPayment;
import io.ordersaga.events.Wallet;
import org.apache.kafka.streams.TestOutputTopic;

import java.util.List;

/**
 * {@link PaymentTopology} in a {@link ServiceDriver} with production Streams settings (except that a processing
 * error fails the test instead of going to the dead-letter topic), and commands in a few words. Amounts are pence.
 */
final class PaymentDriver extends ServiceDriver {

    PaymentDriver(Retention retention) {
        super("payment-streams", PaymentTopology.build(
                new PaymentTopology.Config(retention, PaymentTopology.Config.defaults().credits()), EventSerdes.unregistered()));
    }

    /** A credit with a new creditId each call. */
    void credit(String customerId, long amount) {
        credit(customerId, amount, newId("credit"));
    }

    /** A credit with the given creditId, as order-api sends a retried request's. */
    void credit(String customerId, long amount, String creditId) {
        send(customerId, new CreditWallet(creditId, amount));
    }

    void charge(String orderId, String customerId, long amount) {
        send(customerId, new ChargePayment(orderId, amount));
    }

    void refund(String orderId, String customerId) {
        send(customerId, new RefundPayment(orderId));
    }

    /** The saga confirmed the order: its charge of {@code amount} pence is settled. */
    void settle(String orderId, String customerId, long amount) {
        harness.input(Topics.PAYMENT_SETTLEMENTS).pipeInput(customerId, new PaymentSettlement(customerId, orderId, amount));
    }

    private void send(String customerId, Object command) {
        harness.input(Topics.PAYMENT_COMMANDS).pipeInput(customerId, new PaymentCommand(customerId, command));
    }

    /** Replies emitted since the last read, as the saga would see them. */
    TestOutputTopic<String, PaymentReply> replies() {
        return harness.output(Topics.PAYMENT_REPLIES);
    }

    /** The wallet of customerId, or null when it has none. */
    Wallet wallet(String customerId) {
        return get(PaymentTopology.WALLETS, customerId);
    }

    /** The payment of orderId, or null when there is none (never made, or deleted). */
    Payment payment(String orderId) {
        return get(PaymentTopology.PAYMENTS, orderId);
    }

    /** Every payment in the store, in key order. */
    List<Payment> allPayments() {
        return all(PaymentTopology.PAYMENTS);
    }
}
