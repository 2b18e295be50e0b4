package io.ordersaga.payment;

import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.Retention;
import io.ordersaga.common.Topics;
import io.ordersaga.common.testing.StreamsTestSupport;
import io.ordersaga.common.testing.TickedReplay;
import io.ordersaga.common.testing.TopologyHarness;
import io.ordersaga.events.ChargePayment;
import io.ordersaga.events.CreditWallet;
import io.ordersaga.events.DeclineReason;
import io.ordersaga.events.PaymentCharged;
import io.ordersaga.events.PaymentCommand;
import io.ordersaga.events.PaymentDeclined;
import io.ordersaga.events.PaymentReply;
import io.ordersaga.events.PaymentSettlement;
import io.ordersaga.events.PaymentState;
import io.ordersaga.events.RefundPayment;
import io.ordersaga.events.Wallet;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention over a long replay: {@value #ORDERS} orders at {@value #ORDERS_PER_SECOND} a second of wall clock (33
 * minutes of simulated time, 33 retention windows) charge random customers' wallets, which are topped up now and
 * then. Some charges are declined for want of funds; some are refunded soon (compensation) or
 * {@value #LATE_REFUND_TICKS} s later; a few refunds arrive before their charge (VOIDED, then the charge is declined
 * ORDER_VOIDED), and a few charges are redelivered.
 *
 * <p>A payment lives {@value #RETENTION_MS} ms after its last change, so the payment store never holds more than the
 * orders of the last late refund + retention ({@link #BOUND}) while the orders replayed keep growing. Every
 * {@value #SAMPLE_EVERY_ORDERS} orders the test checks against its own model that the store holds exactly the
 * payments changed within retention (none deleted early or late, a refund restarting the clock), that the retention
 * index has one entry per payment, that every wallet is kept and exact, and that the payment changelog got one
 * tombstone per deleted payment (and the wallet changelog none).
 *
 * <p>The size of the replay is set by TopologyTestDriver's cost: it commits after every record, flushing RocksDB
 * each time, so a replay of a few thousand orders keeps the test near 10 s on a 2-core machine (15 s busy).
 */
class PaymentRetentionReplayTest extends TickedReplay {

    private static final int ORDERS = 4_000;
    private static final int ORDERS_PER_SECOND = 2;
    private static final int SAMPLE_EVERY_ORDERS = 200;
    private static final long TICK_MS = 1_000;
    private static final long RETENTION_MS = 60_000;
    private static final long SCAN_INTERVAL_MS = 1_000;
    private static final int LATE_REFUND_TICKS = 30;
    /** Ticks with no new order after the load: every payment has had its last change and left the store. */
    private static final long QUIET_TICKS = LATE_REFUND_TICKS + RETENTION_MS / TICK_MS + 5;
    /** Most payments the store may hold: orders of the last late refund + retention, a scan late. */
    private static final long BOUND = (long) ORDERS_PER_SECOND * (LATE_REFUND_TICKS * TICK_MS + RETENTION_MS + 2 * SCAN_INTERVAL_MS) / TICK_MS;
    private static final String APPLICATION_ID = "payment-streams";
    private static final Instant START = Instant.parse("2026-03-02T08:00:00Z");
    private static final int CUSTOMERS = 300;
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

    private final EventSerdes serdes = EventSerdes.unregistered();
    private TopologyHarness harness;
    private TestInputTopic<String, PaymentCommand> commands;
    private TestInputTopic<String, PaymentSettlement> settlements;
    private TestOutputTopic<String, PaymentReply> replies;
    private TestOutputTopic<String, byte[]> paymentChangelog;
    private TestOutputTopic<String, byte[]> retentionChangelog;
    private TestOutputTopic<String, byte[]> walletChangelog;

    private int credits;
    /** The model's wallets, by customerId: what the wallet store must hold. */
    private final Map<String, Wallet> wallets = new TreeMap<>();
    /** The model's payments still within retention, by orderId. */
    private final Map<String, Live> live = new HashMap<>();
    private final Map<String, Integer> outcomes = new TreeMap<>();
    private long paymentsCreated;
    private long paymentTombstones;
    private long retentionTombstones;
    private long walletTombstones;
    private long maxPayments;
    private long maxRetentionEntries;

    PaymentRetentionReplayTest() {
        super(START, TICK_MS);
    }

    @Test
    void paymentStoreStaysBoundedAndShrinksByTombstonesOverALongReplay() {
        long started = System.nanoTime();
        Samples samples = run(ORDERS, ORDERS_PER_SECOND, SAMPLE_EVERY_ORDERS, QUIET_TICKS);
        long[] atEndOfLoad = samples.atEndOfLoad();
        long[] afterQuiet = samples.afterQuiet();
        assertThat(ORDERS).as("orders replayed, far more than the store ever held").isGreaterThan(10 * (int) maxPayments);

        assertThat(nothingDue()).as("every refund and settlement sent").isTrue();
        assertThat(afterQuiet).as("payments and retention entries after late refund + retention with no new order")
                .containsExactly(0, 0);
        assertThat(paymentTombstones).as("one payment changelog tombstone per payment").isEqualTo(paymentsCreated);
        assertThat(retentionTombstones).as("retention index changelog tombstones").isGreaterThanOrEqualTo(paymentTombstones);
        assertThat(walletTombstones).as("wallets are never deleted").isZero();
        assertThat(outcomes).as("every kind of reply and refund happened")
                .containsOnlyKeys("CHARGED", "INSUFFICIENT_FUNDS", "ORDER_VOIDED", "REFUNDED", "redelivered");
        System.out.printf("payment retention replay: %d orders over %d s simulated (retention %d s), max payments %d "
                        + "(bound %d), max retention entries %d, at end of load payments=%d retention=%d, after a quiet %d s "
                        + "payments=%d retention=%d, wallets %d, credits %d, changelog tombstones payments=%d "
                        + "payment-retention=%d wallets=%d, outcomes %s, %.1f s%n",
                ORDERS, ticks(), RETENTION_MS / 1000, maxPayments, BOUND, maxRetentionEntries, atEndOfLoad[0], atEndOfLoad[1],
                QUIET_TICKS, afterQuiet[0], afterQuiet[1], wallets.size(), credits, paymentTombstones, retentionTombstones,
                walletTombstones, outcomes, (System.nanoTime() - started) / 1e9);
    }

    @Override
    protected TopologyHarness start() {
        harness = new TopologyHarness(APPLICATION_ID, PaymentTopology.build(new PaymentTopology.Config(new Retention(RETENTION_MS, SCAN_INTERVAL_MS), PaymentTopology.Config.defaults().credits()), serdes), stateDir, START);
        commands = harness.input(Topics.PAYMENT_COMMANDS);
        settlements = harness.input(Topics.PAYMENT_SETTLEMENTS);
        replies = harness.output(Topics.PAYMENT_REPLIES);
        paymentChangelog = harness.changelog(PaymentTopology.PAYMENTS);
        retentionChangelog = harness.changelog(PaymentTopology.PAYMENT_RETENTION);
        walletChangelog = harness.changelog(PaymentTopology.WALLETS);
        for (int c = 0; c < CUSTOMERS; c++) {
            String customerId = String.format("c%03d", c);
            wallets.put(customerId, new Wallet(customerId, 0L, 0L, 0L, 0L));
            credit(customerId, INITIAL_CREDIT_PENCE);
        }
        return harness;
    }

    private void send(String customerId, Object command) {
        commands.pipeInput(customerId, new PaymentCommand(customerId, command), now());
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
        String customerId = String.format("c%03d", random.nextInt(CUSTOMERS));
        long amount = 200 + random.nextInt(2_300);
        Plan plan = Plan.draw(random);
        Wallet wallet = wallets.get(customerId);

        if (plan == Plan.VOID) {
            send(customerId, new RefundPayment(orderId));
            store(orderId, new Live(customerId, 0, PaymentState.VOIDED, nowMs() + RETENTION_MS));
            send(customerId, new ChargePayment(orderId, amount));
            assertThat(StreamsTestSupport.onlyValue(replies).getOutcome()).as("charge after its refund")
                    .isEqualTo(new PaymentDeclined(amount, wallet.getBalance(), DeclineReason.ORDER_VOIDED));
            outcomes.merge("ORDER_VOIDED", 1, Integer::sum);
            return;
        }
        long balance = wallet.getBalance();
        send(customerId, new ChargePayment(orderId, amount));
        PaymentReply reply = StreamsTestSupport.onlyValue(replies);
        if (plan == Plan.REDELIVERED) {
            send(customerId, new ChargePayment(orderId, amount));
            assertThat(StreamsTestSupport.onlyValue(replies)).as("a redelivered charge re-emits the first outcome").isEqualTo(reply);
            outcomes.merge("redelivered", 1, Integer::sum);
        }
        if (balance < amount) {
            assertThat(reply.getOutcome()).as("charge of %d with %d", amount, balance)
                    .isEqualTo(new PaymentDeclined(amount, balance, DeclineReason.INSUFFICIENT_FUNDS));
            store(orderId, new Live(customerId, amount, PaymentState.DECLINED, nowMs() + RETENTION_MS));
            outcomes.merge("INSUFFICIENT_FUNDS", 1, Integer::sum);
            return;
        }
        assertThat(reply.getOutcome()).as("charge of %d with %d", amount, balance).isEqualTo(new PaymentCharged(amount));
        wallet.setBalance(balance - amount);
        wallet.setCharged(wallet.getCharged() + amount);
        store(orderId, new Live(customerId, amount, PaymentState.CHARGED, Long.MAX_VALUE));
        outcomes.merge("CHARGED", 1, Integer::sum);
        switch (plan) {
            case REFUND_SOON -> later(1 + random.nextInt(3), () -> refund(orderId));
            case REFUND_LATE -> later(LATE_REFUND_TICKS, () -> refund(orderId));
            default -> later(1, () -> settle(orderId));
        }
    }

    /** Settles a charged order, as the saga does on confirming it: the open charge closes and its clock starts. */
    private void settle(String orderId) {
        Live charged = live.get(orderId);
        settlements.pipeInput(charged.customerId(), new PaymentSettlement(charged.customerId(), orderId, charged.amountPence()), now());
        live.put(orderId, new Live(charged.customerId(), charged.amountPence(), PaymentState.CHARGED, nowMs() + RETENTION_MS));
    }

    private void store(String orderId, Live payment) {
        paymentsCreated++;
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
        outcomes.merge("REFUNDED", 1, Integer::sum);
    }

    /** One customer's top-up each tick, after the tick's due refunds and settlements. */
    @Override
    protected void afterDue() {
        credit(String.format("c%03d", random.nextInt(CUSTOMERS)), 1_000 + random.nextInt(4_000));
    }

    /**
     * Checks the stores against the model and returns {payments, retention entries}: exactly the payments changed
     * within retention are stored, in the model's state, within {@link #BOUND}, one retention entry each, every wallet
     * as the model has it, and one changelog tombstone per payment deleted.
     */
    @Override
    protected long[] sample() {
        live.values().removeIf(payment -> payment.untilMs() <= nowMs());
        Map<String, PaymentState> stored = new HashMap<>();
        harness.contents(PaymentTopology.PAYMENTS).forEach((orderId, payment) -> stored.put(orderId, payment.getState()));
        long retentionEntries = harness.contents(PaymentTopology.PAYMENT_RETENTION).size();
        paymentTombstones += StreamsTestSupport.tombstones(paymentChangelog);
        retentionTombstones += StreamsTestSupport.tombstones(retentionChangelog);
        walletTombstones += StreamsTestSupport.tombstones(walletChangelog);
        maxPayments = Math.max(maxPayments, stored.size());
        maxRetentionEntries = Math.max(maxRetentionEntries, retentionEntries);

        assertThat((long) stored.size()).as("payments stored after %d orders", placed()).isLessThanOrEqualTo(BOUND);
        live.forEach((orderId, payment) -> assertThat(stored.get(orderId)).as("payment " + orderId + " kept within retention")
                .isEqualTo(payment.state()));
        assertThat(stored).as("no payment kept past its retention").hasSize(live.size());
        assertThat(retentionEntries).as("one retention entry per closed payment (open charges have none)")
                .isEqualTo(live.values().stream().filter(payment -> payment.untilMs() != Long.MAX_VALUE).count());
        assertThat(paymentTombstones).as("payment changelog tombstones: one per payment deleted")
                .isEqualTo(paymentsCreated - stored.size());

        KeyValueStore<String, Wallet> stores = harness.store(PaymentTopology.WALLETS);
        wallets.forEach((customerId, wallet) -> assertThat(stores.get(customerId)).as("wallet of " + customerId).isEqualTo(wallet));
        return new long[] {stored.size(), retentionEntries};
    }
}
