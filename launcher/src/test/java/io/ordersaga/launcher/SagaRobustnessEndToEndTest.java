package io.ordersaga.launcher;

import com.fasterxml.jackson.databind.JsonNode;
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
        Api api = system.api();
        TestData data = new TestData(api);
        String productId = data.product(400, 10);
        List<String> customers = List.of(data.customer(5_000), data.customer(5_000), data.customer(5_000));
        String confirmedOrder = api.placeOrder(customers.get(0), productId, 1).body().path("orderId").asText();
        assertThat(api.awaitTerminal(confirmedOrder).path("status").asText()).isEqualTo("CONFIRMED");

        ServiceCluster.Instance payment = system.cluster().first(Service.PAYMENT);
        system.cluster().stop(payment);
        try {
            String timingOut = api.placeOrder(customers.get(1), productId, 2).body().path("orderId").asText();
            String cancelled = api.placeOrder(customers.get(2), productId, 3).body().path("orderId").asText();
            await("waiting for payment", () -> api.order(cancelled, 0).body().path("status").asText().equals("PAYING"));
            assertThat(api.cancel(cancelled).status()).isEqualTo(202);
            assertThat(api.cancel(cancelled).status()).as("cancelling twice is the same as once").isEqualTo(202);

            JsonNode cancelledOrder = api.awaitTerminal(cancelled);
            assertThat(cancelledOrder.path("status").asText()).isEqualTo("CANCELLED");
            assertThat(cancelledOrder.path("reason").asText()).isEqualTo("CUSTOMER_CANCELLED");
            JsonNode timedOut = api.awaitTerminal(timingOut);
            assertThat(timedOut.path("status").asText()).isEqualTo("CANCELLED");
            assertThat(timedOut.path("reason").asText()).isEqualTo("TIMEOUT");
            await("stock released", () -> api.stock(productId).path("available").asLong() == 9
                    && api.stock(productId).path("reserved").asLong() == 0);
        } finally {
            system.cluster().start(Service.PAYMENT, payment.port(), Map.of());
        }

        await("late charges refunded", () -> customers.stream().skip(1).allMatch(c -> {
            JsonNode wallet = api.wallet(c);
            return wallet.path("charged").asLong() > 0 && wallet.path("balance").asLong() == 5_000;
        }));
        for (String customerId : customers) {
            JsonNode wallet = api.wallet(customerId);
            assertThat(wallet.path("credited").asLong()).isEqualTo(wallet.path("balance").asLong()
                    + wallet.path("charged").asLong() - wallet.path("refunded").asLong());
        }
        assertThat(api.wallet(customers.get(0)).path("balance").asLong()).isEqualTo(5_000 - 400);
        JsonNode stock = api.stock(productId);
        assertThat(stock.path("sold").asLong()).isEqualTo(1);
        assertThat(stock.path("available").asLong()).isEqualTo(9);
        assertThat(stock.path("reserved").asLong()).isZero();

        assertThat(api.cancel(confirmedOrder).status()).as("a confirmed order cannot be cancelled").isEqualTo(409);
        assertThat(api.cancel(TestData.id("unknown")).status())
                .as("the read model cannot tell whose an unknown order is").isEqualTo(400);
    }
}
