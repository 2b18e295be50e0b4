package io.ordersaga.payment;

import io.ordersaga.common.EventSerdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service starts from {@code payment-streams.properties} with the topology on its StreamsBuilder, without
 * a broker or a registry: the Streams client and topic creation are switched off (so health reports DOWN), and the
 * registry serdes, which register the schemas at start, are replaced by {@link EventSerdes#unregistered()}.
 */
@SpringBootTest(classes = {PaymentApplication.class, PaymentApplicationTest.UnregisteredSerdes.class}, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.name=" + PaymentApplication.CONFIG_NAME,
        "spring.kafka.streams.auto-startup=false",
        "spring.kafka.admin.auto-create=false",
        "spring.main.allow-bean-definition-overriding=true"})
class PaymentApplicationTest {

    /** Replaces the shared registry-backed serdes bean. */
    @TestConfiguration(proxyBeanMethods = false)
    static class UnregisteredSerdes {
        @Bean
        EventSerdes eventSerdes() {
            return EventSerdes.unregistered();
        }
    }

    @Autowired
    StreamsBuilder streamsBuilder;

    @LocalServerPort
    int port;

    @Test
    void startsWithTheTopologyDefinedOnTheStreamsBuilder() {
        String description = streamsBuilder.build().describe().toString();

        assertThat(description).contains(PaymentTopology.PROCESSOR, PaymentTopology.WALLETS_STORE,
                PaymentTopology.PAYMENTS_STORE, PaymentTopology.RETENTION_STORE);
    }

    @Test
    void reportsHealthDownWhileTheStreamsClientIsNotRunning() {
        HttpStatus status = RestClient.create("http://127.0.0.1:" + port).get().uri("/actuator/health")
                .exchange((request, response) -> HttpStatus.valueOf(response.getStatusCode().value()));

        assertThat(status).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    }
}
