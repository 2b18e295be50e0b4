package io.ordersaga.payment;

import io.ordersaga.common.Retention;
import io.ordersaga.events.DeclineReason;
import io.ordersaga.events.Payment;
import io.ordersaga.events.PaymentCharged;
import io.ordersaga.events.PaymentDeclined;
import io.ordersaga.events.PaymentReply;
import io.ordersaga.events.PaymentState;
import io.ordersaga.events.Wallet;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The payment rules, command by command, in {@link PaymentDriver}. Amounts are pence. */
class PaymentTopologyTest {

    private static final Duration RETENTION = Duration.ofHours(1);
    private static final Duration SCAN_INTERVAL = Duration.ofSeconds(1);

    @RegisterExtension
    final PaymentDriver payments = new PaymentDriver(new Retention(RETENTION.toMillis(), SCAN_INTERVAL.toMillis()));

    @Test
    void chargesAreTakenWhileTheBalanceCoversThemAndDeclinedForWantOfFundsWhenItDoesNot() {
        payments.charge("o0", "nobody", 1);
        payments.credit("c1", 1_000);

        payments.charge("o1", "c1", 599);
        payments.charge("o2", "c1", 402);
        payments.charge("o3", "c1", 401);
        payments.charge("o4", "c1", 1);

        assertThat(payments.replies().readKeyValuesToList()).containsExactly(
                KeyValue.pair("o0", reply("o0", "nobody", new PaymentDeclined(1L, 0L, DeclineReason.INSUFFICIENT_FUNDS))),
                KeyValue.pair("o1", reply("o1", "c1", new PaymentCharged(599L))),
                KeyValue.pair("o2", reply("o2", "c1", new PaymentDeclined(402L, 401L, DeclineReason.INSUFFICIENT_FUNDS))),
                KeyValue.pair("o3", reply("o3", "c1", new PaymentCharged(401L))),
                KeyValue.pair("o4", reply("o4", "c1", new PaymentDeclined(1L, 0L, DeclineReason.INSUFFICIENT_FUNDS))));
        assertWallet("c1", 0, 1_000, 1_000, 0);
        assertThat(payments.wallet("nobody")).isNull();
        assertThat(payments.allPayments()).extracting(Payment::getOrderId, Payment::getState).containsExactly(
                tuple("o0", PaymentState.DECLINED), tuple("o1", PaymentState.CHARGED), tuple("o2", PaymentState.DECLINED),
                tuple("o3", PaymentState.CHARGED), tuple("o4", PaymentState.DECLINED));
    }

    @Test
    void duplicateChargeReemitsTheFirstOutcomeAndChangesNothing() {
        payments.credit("c1", 1_000);
        payments.charge("o1", "c1", 600);
        payments.charge("o2", "c1", 600);
        payments.replies().readValuesToList();
        payments.credit("c1", 5_000);

        payments.charge("o1", "c1", 600);
        payments.charge("o1", "c1", 1);
        payments.charge("o2", "c1", 600);

        assertThat(payments.replies().readValuesToList()).containsExactly(
                reply("o1", "c1", new PaymentCharged(600L)),
                reply("o1", "c1", new PaymentCharged(600L)),
                reply("o2", "c1", new PaymentDeclined(600L, 400L, DeclineReason.INSUFFICIENT_FUNDS)));
        assertWallet("c1", 5_400, 6_000, 600, 0);
    }

    /**
     * A charge of 600 of 1,000 pence closed by {@code closes} in turn, then redelivered: the first close decides (a
     * refund gives the amount back, a settlement makes the charge final), a later refund changes nothing, and the
     * redelivered charge is declined as closed.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            refund,        1_000, 600, REFUNDED, false
            refund refund, 1_000, 600, REFUNDED, false
            settle,          400,   0, CHARGED,  true
            settle refund,   400,   0, CHARGED,  true
            """)
    void theFirstCloseOfAChargeDecidesAndARedeliveredChargeIsDeclinedAsClosed(String closes, long balance, long refunded,
                                                                             PaymentState state, boolean settled) {
        payments.credit("c1", 1_000);
        payments.charge("o1", "c1", 600);
        for (String close : closes.split(" ")) {
            switch (close) {
                case "refund" -> payments.refund("o1", "c1");
                case "settle" -> payments.settle("o1", "c1", 600);
                default -> throw new IllegalArgumentException(close);
            }
        }

        payments.charge("o1", "c1", 600);

        assertThat(payments.replies().readValuesToList()).as("no reply to a refund or settlement").containsExactly(
                reply("o1", "c1", new PaymentCharged(600L)),
                reply("o1", "c1", new PaymentDeclined(600L, balance, DeclineReason.PAYMENT_CLOSED)));
        assertWallet("c1", balance, 1_000, 600, refunded);
        assertThat(payments.payment("o1")).extracting(Payment::getState, Payment::getSettled).containsExactly(state, settled);
    }

    @Test
    void aCreditIdIsAppliedOnceWithinTheWindowAndIsNewAfterIt() {
        payments.credit("c1", 1_000, "k1");
        payments.credit("c1", 1_000, "k1");
        assertWallet("c1", 1_000, 1_000, 0, 0);

        payments.advanceWallClock(Duration.ofDays(7).plusSeconds(2));
        payments.credit("c1", 1_000, "k1");
        assertWallet("c1", 2_000, 2_000, 0, 0);
    }

    /**
     * A charge of 600 pence against a wallet credited with {@code credited}, then refunded by a command keyed by
     * {@code refundKey}: the refund gives back what the charge took (nothing for a declined one), always to the wallet
     * charged.
     */
    @ParameterizedTest(name = "credited {0}, refund keyed by {1}")
    @CsvSource(textBlock = """
            1_000, c1, 1_000, 600, 600, REFUNDED
            1_000, c2, 1_000, 600, 600, REFUNDED
              100, c1,   100,   0,   0, DECLINED
            """)
    void aRefundGivesBackWhatItsChargeTookToTheWalletCharged(long credited, String refundKey, long balance, long charged,
                                                             long refunded, PaymentState state) {
        payments.credit("c1", credited);
        payments.charge("o1", "c1", 600);

        payments.refund("o1", refundKey);

        assertWallet("c1", balance, credited, charged, refunded);
        assertThat(payments.wallet("c2")).isNull();
        assertThat(payments.payment("o1").getState()).isEqualTo(state);
    }

    @Test
    void refundBeforeChargeVoidsThePaymentSoTheLateChargeIsDeclined() {
        payments.credit("c1", 1_000);

        payments.refund("o1", "c1");
        assertThat(payments.payment("o1").getState()).isEqualTo(PaymentState.VOIDED);
        payments.charge("o1", "c1", 600);
        payments.charge("o1", "c1", 600);

        assertThat(payments.replies().readValuesToList()).containsExactly(
                reply("o1", "c1", new PaymentDeclined(600L, 1_000L, DeclineReason.ORDER_VOIDED)),
                reply("o1", "c1", new PaymentDeclined(600L, 1_000L, DeclineReason.ORDER_VOIDED)));
        assertWallet("c1", 1_000, 1_000, 0, 0);
    }

    @Test
    void creditsAddUpAndNonPositiveCreditsAndChargesAreIgnored() {
        payments.credit("c1", 1_000);
        payments.credit("c1", 250);

        payments.credit("c1", 0);
        payments.credit("c1", -500);
        payments.charge("o1", "c1", 0);
        payments.charge("o2", "c1", -100);

        assertWallet("c1", 1_250, 1_250, 0, 0);
        assertThat(payments.replies().isEmpty()).as("no reply to an ignored charge").isTrue();
        assertThat(payments.allPayments()).isEmpty();
    }

    @Test
    void retentionDeletesClosedPaymentsRetentionAfterTheyClosedAndKeepsOpenCharges() {
        payments.credit("c1", 1_000);
        payments.charge("charged", "c1", 100);
        payments.charge("settled", "c1", 50);
        payments.settle("settled", "c1", 50);
        payments.charge("declined", "c1", 5_000);
        payments.refund("voided", "c1");
        payments.charge("refunded", "c1", 200);
        payments.advanceWallClock(RETENTION.dividedBy(2));
        payments.refund("refunded", "c1");

        payments.advanceWallClock(RETENTION.dividedBy(2).minus(SCAN_INTERVAL));
        assertThat(payments.allPayments()).hasSize(5);
        payments.advanceWallClock(SCAN_INTERVAL);

        assertThat(payments.allPayments()).extracting(Payment::getOrderId, Payment::getState)
                .containsExactlyInAnyOrder(tuple("charged", PaymentState.CHARGED), tuple("refunded", PaymentState.REFUNDED));
        payments.advanceWallClock(RETENTION.multipliedBy(10));
        assertThat(payments.allPayments()).as("an open charge waits for its refund or settlement, however long")
                .extracting(Payment::getOrderId).containsExactly("charged");
        payments.refund("charged", "c1");
        assertWallet("c1", 950, 1_000, 350, 300);
    }

    private static PaymentReply reply(String orderId, String customerId, Object outcome) {
        return new PaymentReply(orderId, customerId, outcome);
    }

    /** Asserts the customer's wallet, and that it keeps the invariant credited = balance + charged - refunded. */
    private void assertWallet(String customerId, long balance, long credited, long charged, long refunded) {
        Wallet wallet = payments.wallet(customerId);
        assertThat(wallet).isEqualTo(new Wallet(customerId, balance, credited, charged, refunded));
        assertThat(wallet.getCredited()).isEqualTo(wallet.getBalance() + wallet.getCharged() - wallet.getRefunded());
    }
}
