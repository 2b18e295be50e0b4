package io.ordersaga.payment;

import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.Retention;
import io.ordersaga.common.Topics;
import io.ordersaga.common.testing.RetentionReplay;
import io.ordersaga.common.testing.StreamsTestSupport;
import io.ordersaga.events.ChargePayment;
import io.ordersaga.events.CreditWallet;
import io.ordersaga.events.DeclineReason;
import io.ordersaga.events.Payment;
import io.ordersaga.events.PaymentCharged;
import io.ordersaga.events.PaymentCommand;
import io.ordersaga.events.PaymentDeclined;
import io.ordersaga.events.PaymentReply;
import io.ordersaga.events.PaymentSettlement;
import io.ordersaga.events.PaymentState;
import io.ordersaga.events.RefundPayment;
import io.ordersaga.events.Wallet;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention over a long replay: {@value #ORDERS} orders at {@value #ORDERS_PER_SECOND} a second of wall clock (33
 * minutes of simulated time, 33 retention windows) charge random customers' wallets, which are topped up now and
 * then. Some charges are declined for want of funds; some are refunded soon (compensation) or
 * {@value #LATE_REFUND_TICKS} s later; a few refunds arrive before their charge (VOIDED, then the charge is declined
 * ORDER_VOIDED), and a few charges are redelivered.
 *
 * <p>A payment lives {@value #RETENTION_MS} ms after its last change, so the payment store never holds more than the
 * orders of the last late refund + retention ({@link #bound}) while the orders replayed keep growing. Every
 * {@value #SAMPLE_EVERY_TICKS} ticks the test checks against its own model that the store holds exactly the
 * payments changed within retention (none deleted early or late, a refund restarting the clock), that the retention
 * index has one entry per payment, that every wallet is kept and exact, and that the payment changelog got one
 * tombstone per deleted payment (and the wallet changelog none).
 *
 * <p>The size of the replay is set by TopologyTestDriver's cost: it commits after every record, flushing RocksDB
 * each time, so a replay of a few thousand orders keeps the test near 10 s on a 2-core machine (15 s busy).
 */
class PaymentRetentionReplayTest extends RetentionReplay<Payment> {

    private static final int ORDERS = 4_000;
    private static final int ORDERS_PER_SECOND = 2;
    private static final int LATE_REFUND_TICKS = 30;
    private static final List<String> CUSTOMER_IDS = IntStream.range(0, 300).mapToObj(c -> String.format("c%03d", c)).toList();
    private static final long INITIAL_CREDIT_PENCE = 3_000;

    /** What happens to the order's payment after the charge. */
    private enum Plan {
        KEEP, REFUND_SOON, REFUND_LATE, VOID, REDELIVERED;

        static Plan draw(Random random) {
            int roll = random.nextInt(100);
            return roll < 1 ? VOID : roll < 2 ? REDELIVERED : roll < 5 ? REFUND_LATE : roll < 13 ? REFUND_SOON : KEEP;
        }
    }

    /** The model of one stored payment: its state and when it is due to leave the store (last change + retention). */
    private record Live(String customerId, long amountPence, PaymentState state, long untilMs) {
    }

    private int credits;
    /** The model's wallets, by customerId: what the wallet store must hold. */
    private final Map<String, Wallet> wallets = new TreeMap<>();
    /** The model's payments still within retention, by orderId. */
    private final Map<String, Live> live = new HashMap<>();

    PaymentRetentionReplayTest() {
        super("payment-streams", retention -> PaymentTopology.build(
                        new PaymentTopology.Config(retention, PaymentTopology.Config.defaults().credits()), EventSerdes.unregistered()),
                PaymentTopology.PAYMENTS, PaymentTopology.PAYMENT_RETENTION, PaymentTopology.WALLETS,
                bound(ORDERS_PER_SECOND, LATE_REFUND_TICKS));
    }

    @Test
    void paymentStoreStaysBoundedAndShrinksByTombstonesOverALongReplay() {
        Samples samples = replay(ORDERS, ORDERS_PER_SECOND, quietTicks(LATE_REFUND_TICKS));

        assertThat(samples.afterQuiet()).as("payments and retention entries after late refund + retention with no new order")
                .containsExactly(0, 0);
        assertThat(outcomes()).as("every kind of reply and refund happened")
                .containsOnlyKeys("CHARGED", "INSUFFICIENT_FUNDS", "ORDER_VOIDED", "REFUNDED", "redelivered");
    }

    /** Every customer's wallet credited with {@value #INITIAL_CREDIT_PENCE} pence. */
    @Override
    protected void seed() {
        for (String customerId : CUSTOMER_IDS) {
            wallets.put(customerId, new Wallet(customerId, 0L, 0L, 0L, 0L));
            credit(customerId, INITIAL_CREDIT_PENCE);
        }
    }

    private void send(String customerId, Object command) {
        harness.input(Topics.PAYMENT_COMMANDS).pipeInput(customerId, new PaymentCommand(customerId, command), now());
    }

    /** A customer drawn at random. */
    private String anyCustomer() {
        return CUSTOMER_IDS.get(random.nextInt(CUSTOMER_IDS.size()));
    }

    /** The one reply to the command just sent. */
    private PaymentReply onlyReply() {
        return StreamsTestSupport.onlyValue(harness.output(Topics.PAYMENT_REPLIES));
    }

    private void credit(String customerId, long amountPence) {
        send(customerId, new CreditWallet("credit-" + credits++, amountPence));
        Wallet wallet = wallets.get(customerId);
        wallet.setBalance(wallet.getBalance() + amountPence);
        wallet.setCredited(wallet.getCredited() + amountPence);
    }

    /** Charges a random customer for a new order, checks the reply against the model's wallet, and plans a refund. */
    @Override
    protected void place(int index) {
        String orderId = String.format("o%05d", index);
        String customerId = anyCustomer();
        long amount = 200 + random.nextInt(2_300);
        Plan plan = Plan.draw(random);
        Wallet wallet = wallets.get(customerId);

        if (plan == Plan.VOID) {
            send(customerId, new RefundPayment(orderId));
            store(orderId, new Live(customerId, 0, PaymentState.VOIDED, nowMs() + RETENTION_MS));
            send(customerId, new ChargePayment(orderId, amount));
            assertThat(onlyReply().getOutcome()).as("charge after its refund")
                    .isEqualTo(new PaymentDeclined(amount, wallet.getBalance(), DeclineReason.ORDER_VOIDED));
            count("ORDER_VOIDED");
            return;
        }
        long balance = wallet.getBalance();
        send(customerId, new ChargePayment(orderId, amount));
        PaymentReply reply = onlyReply();
        if (plan == Plan.REDELIVERED) {
            send(customerId, new ChargePayment(orderId, amount));
            assertThat(onlyReply()).as("a redelivered charge re-emits the first outcome").isEqualTo(reply);
            count("redelivered");
        }
        if (balance < amount) {
            assertThat(reply.getOutcome()).as("charge of %d with %d", amount, balance)
                    .isEqualTo(new PaymentDeclined(amount, balance, DeclineReason.INSUFFICIENT_FUNDS));
            store(orderId, new Live(customerId, amount, PaymentState.DECLINED, nowMs() + RETENTION_MS));
            count("INSUFFICIENT_FUNDS");
            return;
        }
        assertThat(reply.getOutcome()).as("charge of %d with %d", amount, balance).isEqualTo(new PaymentCharged(amount));
        wallet.setBalance(balance - amount);
        wallet.setCharged(wallet.getCharged() + amount);
        store(orderId, new Live(customerId, amount, PaymentState.CHARGED, Long.MAX_VALUE));
        count("CHARGED");
        switch (plan) {
            case REFUND_SOON -> later(1 + random.nextInt(3), () -> refund(orderId));
            case REFUND_LATE -> later(LATE_REFUND_TICKS, () -> refund(orderId));
            default -> later(1, () -> settle(orderId));
        }
    }

    /** Settles a charged order, as the saga does on confirming it: the open charge closes and its clock starts. */
    private void settle(String orderId) {
        Live charged = live.get(orderId);
        harness.input(Topics.PAYMENT_SETTLEMENTS).pipeInput(charged.customerId(), new PaymentSettlement(charged.customerId(), orderId, charged.amountPence()), now());
        live.put(orderId, new Live(charged.customerId(), charged.amountPence(), PaymentState.CHARGED, nowMs() + RETENTION_MS));
    }

    private void store(String orderId, Live payment) {
        created();
        live.put(orderId, payment);
    }

    /** Refunds a charged order, as the saga's compensation would: the amount goes back and the payment's clock restarts. */
    private void refund(String orderId) {
        Live charged = live.get(orderId);
        send(charged.customerId(), new RefundPayment(orderId));
        Wallet wallet = wallets.get(charged.customerId());
        wallet.setBalance(wallet.getBalance() + charged.amountPence());
        wallet.setRefunded(wallet.getRefunded() + charged.amountPence());
        live.put(orderId, new Live(charged.customerId(), charged.amountPence(), PaymentState.REFUNDED, nowMs() + RETENTION_MS));
        count("REFUNDED");
    }

    /** One customer's top-up each tick, after the tick's due refunds and settlements. */
    @Override
    protected void afterDue() {
        credit(anyCustomer(), 1_000 + random.nextInt(4_000));
    }

    /**
     * Checks the stores against the model: exactly the payments changed within retention are stored, in the model's
     * state, one retention entry per closed one, and every wallet as the model has it.
     */
    @Override
    protected void check(SortedMap<String, Payment> stored, long retentionEntries) {
        live.values().removeIf(payment -> payment.untilMs() <= nowMs());
        live.forEach((orderId, payment) -> assertThat(stored.get(orderId)).as("payment " + orderId + " kept within retention")
                .extracting(Payment::getState).isEqualTo(payment.state()));
        assertThat(stored).as("no payment kept past its retention").hasSize(live.size());
        assertThat(retentionEntries).as("one retention entry per closed payment (open charges have none)")
                .isEqualTo(live.values().stream().filter(payment -> payment.untilMs() != Long.MAX_VALUE).count());

        KeyValueStore<String, Wallet> stores = harness.store(PaymentTopology.WALLETS);
        wallets.forEach((customerId, wallet) -> assertThat(stores.get(customerId)).as("wallet of " + customerId).isEqualTo(wallet));
    }
}
