package io.ordersaga.payment;

import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.testing.StreamsApplicationTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service starts from {@code payment-streams.properties} with the topology on its StreamsBuilder, without
 * a broker or a registry: the Streams client and topic creation are switched off (so health reports DOWN), and the
 * registry serdes, which register the schemas at start, are replaced by {@link EventSerdes#unregistered()}. The
 * health check comes from {@link StreamsApplicationTestSupport}.
 */
@SpringBootTest(classes = {PaymentApplication.class, StreamsApplicationTestSupport.UnregisteredSerdes.class}, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.name=" + PaymentApplication.CONFIG_NAME,
        "spring.kafka.streams.auto-startup=false",
        "spring.kafka.admin.auto-create=false",
        "spring.main.allow-bean-definition-overriding=true"})
class PaymentApplicationTest extends StreamsApplicationTestSupport {

    @Test
    void startsWithTheTopologyDefinedOnTheStreamsBuilder() {
        String description = streamsBuilder.build().describe().toString();

        assertThat(description).contains(PaymentTopology.PROCESSOR, PaymentTopology.WALLETS.name(),
                PaymentTopology.PAYMENTS.name(), PaymentTopology.PAYMENT_RETENTION.name());
    }
}
