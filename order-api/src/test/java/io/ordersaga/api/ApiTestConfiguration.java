package io.ordersaga.api;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ordersaga.common.orders.OrderWaiters;
import io.ordersaga.common.spring.InstanceBreakers;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.client.MockRestServiceServer;
import org.springframework.web.client.RestClient;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * order-api's two seams replaced, for the controller tests: writes go to a {@link RecordingPublisher}, reads to a
 * {@link MockRestServiceServer} standing for one instance of each service ({@link #INVENTORY}, {@link #PAYMENTS},
 * {@link #VIEW}, {@link #SAGA}); the read model's lookups before a write go to the same mocked {@link #VIEW}. The
 * subscription to order-events is absent: tests add to {@link RecentOrders} what it would have read.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import(SecurityConfiguration.class)
class ApiTestConfiguration {

    static final String INVENTORY = "http://inventory-1:8082";
    static final String PAYMENTS = "http://payments-1:8083";
    static final String VIEW = "http://view-1:8085";
    static final String SAGA = "http://saga-1:8084";

    /** The mocked services and the client bound to them. */
    static final class Services {
        final RestClient.Builder builder = RestClient.builder();
        final MockRestServiceServer server = MockRestServiceServer.bindTo(builder).ignoreExpectOrder(true).build();
    }

    @Bean
    Services services() {
        return new Services();
    }

    @Bean
    OrderWaiters orderWaiters() {
        return new OrderWaiters();
    }

    /** Counted into a registry of its own, which the tests may read. */
    @Bean
    OrderMetrics orderMetrics() {
        return new OrderMetrics(new SimpleMeterRegistry());
    }

    /** Empty until a test adds what order-api's subscription to order-events would have read. */
    @Bean
    RecentOrders recentOrders(OrderWaiters waiters, OrderMetrics metrics) {
        return new RecentOrders(100, waiters, metrics);
    }

    /** Every service's one mocked instance, asked for its own state. */
    @Bean
    InstanceStatuses instanceStatuses(Services services) {
        RestClient http = services.builder.build();
        InstanceBreakers breakers = new InstanceBreakers(new SimpleMeterRegistry());
        return new InstanceStatuses(List.of(new ServiceInstances("inventory-streams", List.of(URI.create(INVENTORY)), http, breakers),
                new ServiceInstances("payment-streams", List.of(URI.create(PAYMENTS)), http, breakers),
                new ServiceInstances("order-saga-streams", List.of(URI.create(SAGA)), http, breakers),
                new ServiceInstances("order-view-streams", List.of(URI.create(VIEW)), http, breakers)));
    }

    /** Bound to a broker that is not there: the tests reach only its refusals, which need none. */
    @Bean
    DeadLetters deadLetters() {
        return new DeadLetters(Map.of("bootstrap.servers", "127.0.0.1:1"), ApiConfiguration.STREAMS_APPLICATIONS,
                new SimpleMeterRegistry());
    }

    @Bean
    RecordingPublisher publisher() {
        return new RecordingPublisher();
    }

    @Bean
    Backends backends(Services services) {
        RestClient http = services.builder.build();
        InstanceBreakers breakers = new InstanceBreakers(new SimpleMeterRegistry());
        return new Backends(new ServiceInstances("inventory-streams", List.of(URI.create(INVENTORY)), http, breakers),
                new ServiceInstances("payment-streams", List.of(URI.create(PAYMENTS)), http, breakers),
                new ServiceInstances("order-view-streams", List.of(URI.create(VIEW)), http, breakers),
                new ServiceInstances("order-saga-streams", List.of(URI.create(SAGA)), http, breakers),
                new ServiceInstances("order-view-streams", List.of(URI.create(VIEW)), http, breakers));
    }
}
