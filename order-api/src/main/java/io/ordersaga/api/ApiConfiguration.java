package io.ordersaga.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.SchemaRegistration;
import io.ordersaga.common.Topics;
import io.ordersaga.common.orders.OrderWaiters;
import io.ordersaga.common.spring.InstanceBreakers;
import io.ordersaga.common.spring.OrderSagaProperties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.MicrometerProducerListener;
import org.springframework.web.client.RestClient;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;

/**
 * order-api's connections: the registry and the Kafka producer behind every write, the subscription to order-events
 * behind long polls, the HTTP client to the services behind every other read, and the topics. Controller tests replace both seams ({@link EventPublisher}, {@link Backends}).
 */
@Configuration(proxyBeanMethods = false)
public class ApiConfiguration {

    /** How long connecting to a service instance may take before the next one is tried. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    /** How long a relayed read may take: above the read model's longest long poll (30 s). */
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(40);

    /**
     * The registry-backed serdes of the topics order-api writes. Before handing them out, registers every topic's
     * schema and pins its subject's compatibility rule, as every Streams service does ({@link SchemaRegistration}),
     * so an incompatible schema stops order-api at start rather than failing its first writes.
     *
     * @throws IllegalStateException when the registry is unreachable or refuses a schema
     */
    @Bean
    public EventSerdes eventSerdes(OrderSagaProperties properties) {
        SchemaRegistration.registerAll(properties.registryUrl());
        return EventSerdes.registry(properties.registryUrl());
    }

    /**
     * The idempotent, acks=all producer behind every write ({@link KafkaEventPublisher#producerFactory}), its metrics
     * bound to Micrometer ({@code kafka.producer.*}); closed with the context.
     */
    @Bean
    public DefaultKafkaProducerFactory<String, SpecificRecord> kafkaProducerFactory(KafkaProperties kafka, EventSerdes serdes,
                                                                                    ApiProperties api, MeterRegistry registry) {
        DefaultKafkaProducerFactory<String, SpecificRecord> factory =
                KafkaEventPublisher.producerFactory(kafka.buildProducerProperties(), serdes, api.sendTimeoutMs());
        factory.addListener(new MicrometerProducerListener<>(registry));
        return factory;
    }

    /** spring-kafka's template on that producer; as a bean it times every send ({@code spring.kafka.template}). */
    @Bean
    public KafkaTemplate<String, SpecificRecord> kafkaTemplate(DefaultKafkaProducerFactory<String, SpecificRecord> factory) {
        return new KafkaTemplate<>(factory);
    }

    /** Every write of order-api, through the template. */
    @Bean
    public KafkaEventPublisher eventPublisher(KafkaTemplate<String, SpecificRecord> template, ApiProperties api) {
        return new KafkaEventPublisher(template, api.sendTimeoutMs());
    }

    /** order-api's business metrics: orders placed, ended, and the time between saga steps. */
    @Bean
    public OrderMetrics orderMetrics(MeterRegistry registry) {
        return new OrderMetrics(registry);
    }

    /** The long polls of {@code GET /orders/{orderId}?waitMs=}, woken by {@link RecentOrders}. */
    @Bean
    public OrderWaiters orderWaiters() {
        return new OrderWaiters();
    }

    /** The latest snapshots of the orders order-api's subscription has read, at most {@link ApiProperties#recentOrders()}. */
    @Bean
    public RecentOrders recentOrders(ApiProperties api, OrderWaiters waiters, OrderMetrics metrics) {
        return new RecentOrders(api.recentOrders(), waiters, metrics);
    }

    /**
     * order-api's own read_committed subscription to order-events (every partition, no group), feeding
     * {@link RecentOrders}; closed with the context.
     */
    @Bean
    public OrderEventsSubscription orderEventsSubscription(KafkaProperties kafka, EventSerdes serdes, RecentOrders recent) {
        return new OrderEventsSubscription(kafka.buildConsumerProperties(), serdes, recent);
    }

    /** How long an instance may take to tell its own state ({@link InstanceStatuses}). */
    public static final Duration STATUS_TIMEOUT = Duration.ofSeconds(2);

    /** The Streams applications' ids, as their services set {@code application.id}. */
    public static final List<String> STREAMS_APPLICATIONS =
            List.of("inventory-streams", "payment-streams", "order-saga-streams", "order-view-streams");

    /**
     * The Streams applications' dead-letter topics for {@code GET /admin/dead-letters} and the
     * {@code ordersaga.dead.letters} gauges; the gauges' consumer closed with the context.
     */
    @Bean
    public DeadLetters deadLetters(KafkaProperties kafka, MeterRegistry registry) {
        return new DeadLetters(kafka.buildConsumerProperties(), STREAMS_APPLICATIONS, registry);
    }

    /**
     * The instances of inventory-streams, payment-streams, order-view-streams and order-saga-streams, over one
     * HTTP/1.1 client (one connection pool): reads relayed with {@link #READ_TIMEOUT}, the read model's checks
     * before a write with {@link ApiProperties#lookupTimeoutMs()}; one circuit breaker per instance
     * ({@link InstanceBreakers}, its state in {@code resilience4j_circuitbreaker_state}).
     */
    @Bean
    public Backends backends(ApiProperties api, HttpClient client, InstanceBreakers breakers) {
        RestClient http = restClient(client, READ_TIMEOUT);
        return new Backends(new ServiceInstances("inventory-streams", api.inventoryUrls(), http, breakers),
                new ServiceInstances("payment-streams", api.paymentUrls(), http, breakers),
                new ServiceInstances("order-view-streams", api.viewUrls(), http, breakers),
                new ServiceInstances("order-saga-streams", api.sagaUrls(), http, breakers),
                new ServiceInstances("order-view-streams", api.viewUrls(),
                        restClient(client, Duration.ofMillis(api.lookupTimeoutMs())), breakers));
    }

    /** Every Streams service's instances, for their own state, with {@link #STATUS_TIMEOUT}. */
    @Bean
    public InstanceStatuses instanceStatuses(ApiProperties api, HttpClient client, InstanceBreakers breakers) {
        RestClient http = restClient(client, STATUS_TIMEOUT);
        return new InstanceStatuses(List.of(new ServiceInstances("inventory-streams", api.inventoryUrls(), http, breakers),
                new ServiceInstances("payment-streams", api.paymentUrls(), http, breakers),
                new ServiceInstances("order-saga-streams", api.sagaUrls(), http, breakers),
                new ServiceInstances("order-view-streams", api.viewUrls(), http, breakers)));
    }

    /** The HTTP/1.1 client (one connection pool) to every service instance, connecting within {@link #CONNECT_TIMEOUT}. */
    @Bean
    public HttpClient serviceHttpClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT).build();
    }

    /** One circuit breaker per service instance, shared by every read ({@link InstanceBreakers}). */
    @Bean
    public InstanceBreakers instanceBreakers(MeterRegistry meters) {
        return new InstanceBreakers(meters);
    }

    /**
     * A RestClient on {@code client} whose requests fail with a timeout ({@code ResourceAccessException}) when no
     * response came within {@code readTimeout}: the JDK request timeout, set by {@link JdkClientHttpRequestFactory}.
     */
    public static RestClient restClient(HttpClient client, Duration readTimeout) {
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(client);
        factory.setReadTimeout(readTimeout);
        return RestClient.builder().requestFactory(factory).build();
    }

    /**
     * Every topic of the catalogue, created if missing, as every Streams service does: so that a write before the
     * services ever ran does not let the broker auto-create a topic with the wrong partition count.
     */
    @Bean
    public KafkaAdmin.NewTopics orderSagaTopics(OrderSagaProperties properties) {
        return new KafkaAdmin.NewTopics(Topics.ALL.stream()
                .map(t -> t.newTopic(properties.partitions(), properties.replicationFactor()))
                .toArray(NewTopic[]::new));
    }
}
