package io.ordersaga.common.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.SchemaRegistration;
import io.ordersaga.common.StreamThreadRecovery;
import io.ordersaga.common.StreamsDefaults;
import io.ordersaga.common.Topics;
import io.ordersaga.common.orders.OrderWaiters;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.KafkaStreams;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.SimpleHttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.annotation.KafkaStreamsDefaultConfiguration;
import org.springframework.kafka.config.KafkaStreamsConfiguration;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.streams.KafkaStreamsInteractiveQueryService;
import org.springframework.web.client.RestClient;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Spring wiring every Streams service shares: Streams properties from {@link StreamsDefaults}, the
 * registry-backed {@link EventSerdes} (after registering every topic's schema), topic creation by KafkaAdmin (every topic of {@link Topics} plus
 * this application's dead-letter topic, idempotent, so services start in any order), the recovery of failed
 * stream threads ({@link StreamThreadRecovery}) and of a failed client ({@link StreamsClientRestart}), the
 * client's health ({@link StreamsHealth}), and
 * interactive-query routing ({@link StoreQueries}). Its metrics, with the JVM's, HTTP's and Kafka Streams' own (bound by
 * Spring Boot), are at {@code /actuator/prometheus}.
 * A service imports it and defines its topology on the {@code StreamsBuilder} bean.
 */
@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
@EnableConfigurationProperties(OrderSagaProperties.class)
public class StreamsServiceConfiguration {

    /** How long a request forwarded to the instance owning a key may take to connect (2 s). */
    public static final Duration FORWARD_CONNECT_TIMEOUT = Duration.ofSeconds(2);

    /**
     * How long a request forwarded to the instance owning a key may wait for the answer (40 s): above the longest
     * long poll, {@link OrderWaiters#MAX_WAIT_MS} (30 s).
     */
    public static final Duration FORWARD_READ_TIMEOUT = Duration.ofMillis(OrderWaiters.MAX_WAIT_MS + 10_000);

    /**
     * The registry-backed serdes of every topic and store. Before handing them out, registers every topic's
     * schema and pins its subject's compatibility rule ({@link SchemaRegistration}).
     */
    @Bean
    public EventSerdes eventSerdes(OrderSagaProperties properties) {
        SchemaRegistration.registerAll(properties.registryUrl());
        return EventSerdes.registry(properties.registryUrl());
    }

    /** Streams properties of this instance: exactly_once_v2 and the rest of {@link StreamsDefaults}. */
    @Bean(name = KafkaStreamsDefaultConfiguration.DEFAULT_STREAMS_CONFIG_BEAN_NAME)
    public KafkaStreamsConfiguration defaultKafkaStreamsConfig(OrderSagaProperties properties, KafkaProperties kafka,
                                                               @Value("${spring.application.name}") String applicationId,
                                                               @Value("${server.port:8080}") int port) {
        String stateDir = properties.stateDir() != null ? properties.stateDir()
                : Path.of("target", "state", applicationId + "-" + port).toAbsolutePath().toString();
        Map<String, Object> config = new HashMap<>();
        StreamsDefaults.properties(applicationId, String.join(",", kafka.getBootstrapServers()), stateDir,
                properties.advertisedHost() + ":" + port, properties.replicationFactor(), properties.commitIntervalMs())
                .forEach((k, v) -> config.put((String) k, v));
        return new KafkaStreamsConfiguration(config);
    }

    /** Every topic of the catalogue and this application's dead-letter topic, created if missing. */
    @Bean
    public KafkaAdmin.NewTopics orderSagaTopics(OrderSagaProperties properties,
                                                @Value("${spring.application.name}") String applicationId) {
        List<NewTopic> topics = new ArrayList<>();
        Topics.ALL.forEach(t -> topics.add(t.newTopic(properties.partitions(), properties.replicationFactor())));
        topics.add(TopicBuilder.name(Topics.deadLetters(applicationId)).partitions(1)
                .replicas(properties.replicationFactor()).build());
        return new KafkaAdmin.NewTopics(topics.toArray(NewTopic[]::new));
    }

    /**
     * An instance that stops leaves its consumer group at once, so its partitions (and the keys they own)
     * move to the remaining instances now rather than after the session timeout (45 s): Kafka Streams
     * does not leave the group on close by default. Scale-in and shutdown stay a short rebalance.
     */
    @Bean
    public StreamsBuilderFactoryBeanConfigurer leaveGroupOnClose() {
        return factory -> factory.setLeaveGroupOnClose(true);
    }

    /** Replaces a failed stream thread after a back-off; see {@link StreamThreadRecovery}. */
    @Bean
    public StreamThreadRecovery streamThreadRecovery() {
        return new StreamThreadRecovery();
    }

    /** Restarts the client when it goes to ERROR; see {@link StreamsClientRestart}. */
    @Bean
    public StreamsClientRestart streamsClientRestart(StreamThreadRecovery recovery) {
        return new StreamsClientRestart(recovery);
    }

    /**
     * Sets {@link StreamThreadRecovery} as the client's uncaught exception handler; ends its back-offs in progress
     * when the client starts shutting down (so that stopping the service never waits for one); and restarts a
     * client that went to ERROR ({@link StreamsClientRestart}).
     */
    @Bean
    public StreamsBuilderFactoryBeanConfigurer recoverFailedStreamThreads(StreamThreadRecovery recovery,
                                                                          StreamsClientRestart restart) {
        return factory -> {
            factory.setStreamsUncaughtExceptionHandler(recovery);
            factory.setStateListener((newState, oldState) -> {
                if (newState == KafkaStreams.State.PENDING_SHUTDOWN || newState == KafkaStreams.State.PENDING_ERROR) {
                    recovery.wakeUp();
                }
                restart.onStateChange(newState, factory);
            });
        };
    }

    /**
     * spring-kafka's interactive-query service over this application's current Streams client, answering by one look:
     * its RetryTemplate makes no retries (spring-kafka's default retries 3 times, 1 s apart), so a key with no known
     * owner fails at once and {@link StoreQueries#get} waits for a store by its own patience only.
     */
    @Bean
    public KafkaStreamsInteractiveQueryService interactiveQueryService(StreamsBuilderFactoryBean factory) {
        CurrentClientQueryService queries = new CurrentClientQueryService(factory);
        queries.setRetryTemplate(new RetryTemplate(RetryPolicy.withMaxRetries(0)));
        return queries;
    }

    /**
     * Routes a key's query to the instance that owns it, forwarding over HTTP/1.1 with a connect timeout of
     * {@link #FORWARD_CONNECT_TIMEOUT} and a read timeout of {@link #FORWARD_READ_TIMEOUT}. Each forwarded request
     * is observed, so its latency and outcome are at {@code /actuator/prometheus} as {@code http_client_requests}
     * (tags: client.name the owner's host, status, outcome, exception), through a circuit breaker per owner
     * ({@link InstanceBreakers}).
     */
    @Bean
    public StoreQueries storeQueries(KafkaStreamsInteractiveQueryService queries, StreamsBuilderFactoryBean factory,
                                     ObjectProvider<ObservationRegistry> observations, MeterRegistry meters) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(FORWARD_CONNECT_TIMEOUT).build();
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(client);
        requests.setReadTimeout(FORWARD_READ_TIMEOUT);
        return new StoreQueries(queries, factory, RestClient.builder().requestFactory(requests)
                .observationRegistry(observations.getIfAvailable(() -> ObservationRegistry.NOOP)).build(),
                new InstanceBreakers(meters));
    }

    /** {@code GET /instance}: this instance's client state, tasks and lag ({@link InstanceController}). */
    @Bean
    public InstanceController instanceController(StreamsBuilderFactoryBean factory, StreamThreadRecovery recovery,
                                                 OrderSagaProperties properties,
                                                 @Value("${spring.application.name}") String applicationId,
                                                 @Value("${server.port:8080}") int port) {
        return new InstanceController(factory, recovery, applicationId, properties.advertisedHost() + ":" + port);
    }

    /** The Streams client's health: UP, {@link StreamsHealth#DEGRADED} or DOWN; see {@link StreamsHealth}. */
    @Bean
    public HealthIndicator kafkaStreamsHealth(StreamsBuilderFactoryBean factory, StreamThreadRecovery recovery,
                                              @Value("${spring.application.name}") String applicationId) {
        return new StreamsHealth(factory, recovery, applicationId);
    }

    /**
     * Actuator's order of statuses, worst first, with {@link StreamsHealth#DEGRADED} between OUT_OF_SERVICE and UP,
     * so that a degraded client makes the service's aggregate health DEGRADED (Spring Boot leaves a status it does
     * not know out of the aggregate).
     */
    @Bean
    public StatusAggregator healthStatusAggregator() {
        return StatusAggregator.of(Status.DOWN, Status.OUT_OF_SERVICE, StreamsHealth.DEGRADED, Status.UP, Status.UNKNOWN);
    }

    /** Actuator's HTTP status per health status: Spring Boot's (503 for DOWN and OUT_OF_SERVICE), and 503 for DEGRADED. */
    @Bean
    public HttpCodeStatusMapper healthHttpCodeStatusMapper() {
        return new SimpleHttpCodeStatusMapper(Map.of(Status.DOWN.getCode(), 503, Status.OUT_OF_SERVICE.getCode(), 503,
                StreamsHealth.DEGRADED.getCode(), 503));
    }
}
