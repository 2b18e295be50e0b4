package io.ordersaga.payment;

import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.Retention;
import io.ordersaga.common.Topics;
import io.ordersaga.common.testing.TopologyHarness;
import io.ordersaga.events.ChargePayment;
import io.ordersaga.events.CreditWallet;
import io.ordersaga.events.Payment;
import io.ordersaga.events.PaymentCommand;
import io.ordersaga.events.PaymentReply;
import io.ordersaga.events.PaymentSettlement;
import io.ordersaga.events.RefundPayment;
import io.ordersaga.events.Wallet;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link PaymentTopology} in a {@link TopologyTestDriver} with production Streams settings (except that a
 * processing error fails the test instead of going to the dead-letter topic), and commands in a few words.
 * The wall clock starts at {@link #START} and moves only with {@link #advanceWallClock}. Amounts are pence.
 */
final class PaymentDriver implements AutoCloseable {

    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final TopologyHarness driver;
    private final TestInputTopic<String, PaymentCommand> commands;
    private final TestOutputTopic<String, PaymentReply> replies;
    private final TestInputTopic<String, PaymentSettlement> settlements;
    private int credits;

    PaymentDriver(Retention retention, Path stateDir) {
        driver = new TopologyHarness("payment-streams", PaymentTopology.build(
                new PaymentTopology.Config(retention, PaymentTopology.Config.defaults().credits()), EventSerdes.unregistered()),
                stateDir, START);
        commands = driver.input(Topics.PAYMENT_COMMANDS);
        replies = driver.output(Topics.PAYMENT_REPLIES);
        settlements = driver.input(Topics.PAYMENT_SETTLEMENTS);
    }

    void charge(String orderId, String customerId, long amount) {
        send(customerId, new ChargePayment(orderId, amount));
    }

    void refund(String orderId, String customerId) {
        send(customerId, new RefundPayment(orderId));
    }

    /** A credit with a new creditId each call. */
    void credit(String customerId, long amount) {
        credit(customerId, amount, "credit-" + ++credits);
    }

    /** A credit with the given creditId, as order-api sends a retried request's. */
    void credit(String customerId, long amount, String creditId) {
        send(customerId, new CreditWallet(creditId, amount));
    }

    /** The saga confirmed the order: its charge of {@code amount} pence is settled. */
    void settle(String orderId, String customerId, long amount) {
        settlements.pipeInput(customerId, new PaymentSettlement(customerId, orderId, amount));
    }

    private void send(String customerId, Object command) {
        commands.pipeInput(customerId, new PaymentCommand(customerId, command));
    }

    /** Replies emitted since the last read, as the saga would see them. */
    TestOutputTopic<String, PaymentReply> replies() {
        return replies;
    }

    /** The wallet of customerId, or null when it has none. */
    Wallet wallet(String customerId) {
        KeyValueStore<String, Wallet> store = driver.store(PaymentTopology.WALLETS);
        return store.get(customerId);
    }

    /** The payment of orderId, or null when there is none (never made, or deleted). */
    Payment payment(String orderId) {
        return payments().get(orderId);
    }

    /** Every payment in the store, in key order. */
    List<Payment> allPayments() {
        List<Payment> all = new ArrayList<>();
        try (KeyValueIterator<String, Payment> it = payments().all()) {
            it.forEachRemaining(entry -> all.add(entry.value));
        }
        return all;
    }

    private KeyValueStore<String, Payment> payments() {
        return driver.store(PaymentTopology.PAYMENTS);
    }

    void advanceWallClock(Duration by) {
        driver.advanceWallClock(by);
    }

    @Override
    public void close() {
        driver.close();
    }
}
