package io.ordersaga.common.testing;

import io.ordersaga.common.EventSerdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Base of a Streams service's start-up test: the service is started by the subclass's {@code @SpringBootTest} on a
 * random port, without a broker or a registry (Streams client and topic creation switched off, bean overriding on,
 * and {@link UnregisteredSerdes} among its classes), and this checks that health reports DOWN.
 */
public abstract class StreamsApplicationTestSupport {

    /** Replaces the shared registry-backed serdes bean, which would register the schemas at start. */
    @TestConfiguration(proxyBeanMethods = false)
    public static class UnregisteredSerdes {
        /** {@link EventSerdes#unregistered()}: no registry is called. */
        @Bean
        public EventSerdes eventSerdes() {
            return EventSerdes.unregistered();
        }
    }

    /** The service's StreamsBuilder, with its topology defined on it. */
    @Autowired
    protected StreamsBuilder streamsBuilder;

    /** The service's HTTP port. */
    @LocalServerPort
    protected int port;

    /** The Streams client is not running, so {@code /actuator/health} answers 503. */
    @Test
    public void reportsHealthDownWhileTheStreamsClientIsNotRunning() {
        HttpStatus status = RestClient.create("http://127.0.0.1:" + port).get().uri("/actuator/health")
                .exchange((request, response) -> HttpStatus.valueOf(response.getStatusCode().value()));

        assertThat(status).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    }
}
