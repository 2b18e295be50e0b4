package io.ordersaga.payment;

import io.ordersaga.events.ChargePayment;
import io.ordersaga.events.CreditWallet;
import io.ordersaga.events.Payment;
import io.ordersaga.events.PaymentCharged;
import io.ordersaga.events.PaymentSettlement;
import io.ordersaga.events.PaymentState;
import io.ordersaga.events.RefundPayment;
import io.ordersaga.events.Wallet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The payment core ({@link Payments#apply}) driven directly, thousands of times: whatever commands arrive (each as
 * the value of a record keyed by a customer), in whatever order and however often repeated, every wallet keeps
 * credited = balance + charged - refunded with a balance never negative, charged - refunded is exactly what its
 * CHARGED payments hold, a settled payment is never refunded, and a PaymentCharged is only ever answered for a
 * charge that is held and open. Amounts are pence.
 */
class PaymentInvariantPropertyTest {

    private static final List<String> CUSTOMERS = List.of("c1", "c2");

    /** A command and the customer its record is keyed by. */
    record Keyed(String customerId, Object command) {
    }

    @Property(tries = 2_000)
    void walletsStayConsistentWhateverTheCommands(@ForAll("commands") List<Keyed> commands) {
        Map<String, Wallet> wallets = new HashMap<>();
        Map<String, Payment> payments = new HashMap<>();
        Set<String> credits = new HashSet<>();
        long nowMs = 0;
        for (Keyed keyed : commands) {
            String orderId = switch (keyed.command()) {
                case ChargePayment c -> c.getOrderId();
                case RefundPayment c -> c.getOrderId();
                case PaymentSettlement c -> c.getOrderId();
                default -> null;
            };
            String creditId = keyed.command() instanceof CreditWallet c ? c.getCreditId() : null;
            Payment payment = orderId == null ? null : payments.get(orderId);
            String owner = payment != null ? payment.getCustomerId() : keyed.customerId();
            Payments.Step step = Payments.apply(new Payments.State(wallets.getOrDefault(owner, new Wallet(owner, 0L, 0L, 0L, 0L)),
                    payment, credits.contains(creditId)), keyed.customerId(), keyed.command(), nowMs++);
            if (step.wallet() != null) {
                wallets.put(step.wallet().getCustomerId(), step.wallet());
            }
            if (step.payment() != null) {
                if (payment != null && payment.getSettled()) {
                    assertThat(step.payment().getState()).as("a settled payment stays charged").isEqualTo(PaymentState.CHARGED);
                }
                payments.put(orderId, step.payment());
            }
            if (step.recordCredit()) {
                credits.add(creditId);
            }
            if (step.reply() != null && step.reply().getOutcome() instanceof PaymentCharged) {
                Payment answered = payments.get(orderId);
                assertThat(answered.getState() == PaymentState.CHARGED && !answered.getSettled())
                        .as("PaymentCharged answered for %s: %s", orderId, answered).isTrue();
            }
            assertConsistent(wallets, payments);
        }
    }

    private static void assertConsistent(Map<String, Wallet> wallets, Map<String, Payment> payments) {
        wallets.forEach((customerId, wallet) -> {
            assertThat(wallet.getBalance()).isNotNegative();
            assertThat(wallet.getCredited()).isEqualTo(wallet.getBalance() + wallet.getCharged() - wallet.getRefunded());
            assertThat(wallet.getCharged() - wallet.getRefunded()).isEqualTo(held(payments, customerId));
        });
    }

    /** The pence held by customerId's CHARGED payments. */
    private static long held(Map<String, Payment> payments, String customerId) {
        return payments.values().stream()
                .filter(p -> p.getCustomerId().equals(customerId) && p.getState() == PaymentState.CHARGED)
                .mapToLong(Payment::getAmount).sum();
    }

    @Provide
    Arbitrary<List<Keyed>> commands() {
        Arbitrary<String> orders = Arbitraries.of("o1", "o2", "o3", "o4");
        Arbitrary<String> customers = Arbitraries.of(CUSTOMERS);
        Arbitrary<Keyed> charge = Combinators.combine(customers, orders, Arbitraries.longs().between(0, 900))
                .as((c, o, amount) -> new Keyed(c, new ChargePayment(o, amount)));
        Arbitrary<Keyed> refund = Combinators.combine(customers, orders).as((c, o) -> new Keyed(c, new RefundPayment(o)));
        Arbitrary<Keyed> settle = Combinators.combine(customers, orders, Arbitraries.longs().between(1, 900))
                .as((c, o, amount) -> new Keyed(c, new PaymentSettlement(c, o, amount)));
        Arbitrary<Keyed> credit = Combinators.combine(customers, Arbitraries.longs().between(0, 1_000), Arbitraries.of("k1", "k2", "k3"))
                .as((c, amount, id) -> new Keyed(c, new CreditWallet(id + c, amount)));
        return Arbitraries.oneOf(charge, refund, settle, credit).list().ofMaxSize(60);
    }
}
