package io.ordersaga.payment;

import io.ordersaga.common.Retention;
import io.ordersaga.events.Payment;
import io.ordersaga.events.PaymentState;
import io.ordersaga.events.Wallet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.springframework.util.FileSystemUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever commands arrive, in whatever order and however often repeated, every wallet keeps
 * credited = balance + charged - refunded with a balance never negative, and what it charged less what it
 * refunded is exactly what its CHARGED payments hold. Amounts are pence.
 */
class PaymentInvariantPropertyTest {

    private static final List<String> CUSTOMERS = List.of("c1", "c2");

    @Property(tries = 50)
    void walletsStayConsistentWhateverTheCommands(@ForAll("commands") List<Command> commands) throws IOException {
        Path stateDir = Files.createTempDirectory("payment-property");
        try (PaymentDriver payments = new PaymentDriver(new Retention(60_000, 1_000), stateDir)) {
            for (Command command : commands) {
                command.applyTo(payments);
                assertConsistent(payments);
            }
        } finally {
            FileSystemUtils.deleteRecursively(stateDir);
        }
    }

    private static void assertConsistent(PaymentDriver payments) {
        List<Payment> all = payments.allPayments();
        for (String customerId : CUSTOMERS) {
            Wallet wallet = payments.wallet(customerId);
            if (wallet == null) {
                continue;
            }
            assertThat(wallet.getBalance()).isNotNegative();
            assertThat(wallet.getCredited()).isEqualTo(wallet.getBalance() + wallet.getCharged() - wallet.getRefunded());
            assertThat(wallet.getCharged() - wallet.getRefunded()).isEqualTo(all.stream()
                    .filter(p -> p.getCustomerId().equals(customerId) && p.getState() == PaymentState.CHARGED)
                    .mapToLong(Payment::getAmount).sum());
        }
    }

    @Provide
    Arbitrary<List<Command>> commands() {
        Arbitrary<String> orders = Arbitraries.of("o1", "o2", "o3", "o4");
        Arbitrary<String> customers = Arbitraries.of(CUSTOMERS);
        Arbitrary<Command> charge = Combinators.combine(orders, customers, Arbitraries.longs().between(1, 600)).as(Charge::new);
        Arbitrary<Command> refund = Combinators.combine(orders, customers).as(Refund::new);
        Arbitrary<Command> credit = Combinators.combine(customers, Arbitraries.longs().between(-100, 1_000)).as(Credit::new);
        return Arbitraries.oneOf(charge, refund, credit).list().ofMaxSize(60);
    }

    /** One payment command, as the test generates it. */
    sealed interface Command {
        void applyTo(PaymentDriver payments);
    }

    record Charge(String orderId, String customerId, long amount) implements Command {
        public void applyTo(PaymentDriver payments) {
            payments.charge(orderId, customerId, amount);
        }
    }

    record Refund(String orderId, String customerId) implements Command {
        public void applyTo(PaymentDriver payments) {
            payments.refund(orderId, customerId);
        }
    }

    record Credit(String customerId, long amount) implements Command {
        public void applyTo(PaymentDriver payments) {
            payments.credit(customerId, amount);
        }
    }
}
