package io.ordersaga.launcher;

import io.ordersaga.demo.client.OrderApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static io.ordersaga.launcher.TestData.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The saga when a service is down: payment-streams stops while orders are in flight. Those orders time
 * out (CANCELLED/TIMEOUT) or are cancelled by the customer (CANCELLED/CUSTOMER_CANCELLED), their stock is
 * released at once, and when payment-streams comes back it takes the late charges and refunds them, so
 * the books balance.
 */
@ExtendWith(RunningSystem.class)
class SagaRobustnessEndToEndTest {

    @Test
    void paymentOutageTimesOutOrCancelsAndLateChargesAreRefunded(RunningSystem system) {
        OrderApi api = system.api();
        TestData data = system.data();
        String productId = data.product(400, 10);
        List<String> customers = List.of(data.customer(5_000), data.customer(5_000), data.customer(5_000));
        String confirmedOrder = data.place(customers.get(0), productId, 1);
        assertThat(data.awaitTerminal(confirmedOrder).status()).isEqualTo("CONFIRMED");

        ServiceCluster.Instance payment = system.cluster().first(Service.PAYMENT);
        system.cluster().stop(payment);
        try {
            String timingOut = data.place(customers.get(1), productId, 2);
            String cancelled = data.place(customers.get(2), productId, 3);
            await("waiting for payment", () -> data.order(cancelled).status().equals("PAYING"));
            assertThat(data.cancel(cancelled).status()).isEqualTo(202);
            assertThat(data.cancel(cancelled).status()).as("cancelling twice is the same as once").isEqualTo(202);

            OrderApi.OrderView cancelledOrder = data.awaitTerminal(cancelled);
            assertThat(cancelledOrder.status()).isEqualTo("CANCELLED");
            assertThat(cancelledOrder.reason()).isEqualTo("CUSTOMER_CANCELLED");
            OrderApi.OrderView timedOut = data.awaitTerminal(timingOut);
            assertThat(timedOut.status()).isEqualTo("CANCELLED");
            assertThat(timedOut.reason()).isEqualTo("TIMEOUT");
            await("stock released", () -> api.stock(productId).orElseThrow().available() == 9
                    && api.stock(productId).orElseThrow().reserved() == 0);
        } finally {
            system.cluster().start(Service.PAYMENT, payment.port(), Map.of());
        }

        await("late charges refunded", () -> customers.stream().skip(1).allMatch(c -> {
            OrderApi.Wallet wallet = api.wallet(c);
            return wallet.charged() > 0 && wallet.balance() == 5_000;
        }));
        for (String customerId : customers) {
            OrderApi.Wallet wallet = api.wallet(customerId);
            assertThat(wallet.credited()).isEqualTo(wallet.balance()
                    + wallet.charged() - wallet.refunded());
        }
        assertThat(api.wallet(customers.get(0)).balance()).isEqualTo(5_000 - 400);
        OrderApi.Stock stock = api.stock(productId).orElseThrow();
        assertThat(stock.sold()).isEqualTo(1);
        assertThat(stock.available()).isEqualTo(9);
        assertThat(stock.reserved()).isZero();

        assertThat(data.cancel(confirmedOrder).status()).as("a confirmed order cannot be cancelled").isEqualTo(409);
        assertThat(data.cancel(TestData.id("unknown")).status())
                .as("the read model cannot tell whose an unknown order is").isEqualTo(400);
    }
}
