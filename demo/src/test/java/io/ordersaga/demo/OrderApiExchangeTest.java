package io.ordersaga.demo;

import io.ordersaga.demo.client.OrderApi;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link OrderApi#exchange}: one attempt, every status and header as it came, against {@link FakeOrderApi}. */
class OrderApiExchangeTest {

    @Test
    void aTransientStatusIsAnsweredAsItCameWithoutARetry() throws IOException {
        try (FakeOrderApi fake = new FakeOrderApi(); OrderApi api = new OrderApi(fake.url())) {
            fake.unacknowledgedFirstWrites = true;
            Map<String, String> key = Map.of("Idempotency-Key", "k1");

            OrderApi.Response first = api.exchange("POST", "/customers/c1/wallet/credits", Map.of("amount", 500), key);
            assertThat(first.status()).isEqualTo(503);
            assertThat(first.contentType()).startsWith("application/problem+json");
            assertThat(first.body().path("detail").asString()).contains("outcome is unknown");
            assertThat(fake.unacknowledged).as("sent once").isEqualTo(1);

            assertThat(api.exchange("POST", "/customers/c1/wallet/credits", Map.of("amount", 500), key).status())
                    .isEqualTo(202);
            assertThat(api.wallet("c1").balance()).as("applied once").isEqualTo(500);
        }
    }

    @Test
    void aStringBodyIsSentAsItIsAndEachReadIsOneAttempt() throws IOException {
        try (FakeOrderApi fake = new FakeOrderApi(); OrderApi api = new OrderApi(fake.url())) {
            OrderApi.Response placed = api.exchange("POST", "/orders",
                    "{\"customerId\":\"c1\",\"lines\":[{\"productId\":\"p1\",\"quantity\":1}]}", Map.of());
            assertThat(placed.status()).isEqualTo(202);
            assertThat(placed.contentType()).startsWith("application/json");
            String orderId = placed.body().path("orderId").asString();
            assertThat(orderId).isNotBlank();

            OrderApi.Response firstRead = api.get("/orders/" + orderId);
            assertThat(firstRead.status()).as("the fake's first read of an order, as the read model may").isEqualTo(404);
            assertThat(api.get("/orders/" + orderId).body().path("orderId").asString()).isEqualTo(orderId);
        }
    }
}
