package io.ordersaga.saga;

import io.ordersaga.common.CoPartitioning;
import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.spring.StreamsServiceConfiguration;
import org.apache.kafka.streams.StreamsBuilder;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.core.KafkaAdmin;

import java.time.Clock;

/**
 * order-saga-streams: the order saga's orchestrator ({@link OrderSagaTopology}) on the shared Streams wiring
 * ({@link StreamsServiceConfiguration}). Reads {@code order-saga-streams.properties} (HTTP port 8084, health
 * endpoint only), including the optional saga timing ({@link SagaProperties}).
 *
 * <p>At start, after KafkaAdmin has created the topics and before the Streams client starts, it checks that
 * {@link OrderSagaTopology#CO_PARTITIONED} are co-partitioned, and fails to start (IllegalStateException) if not.
 */
@SpringBootApplication
@Import(StreamsServiceConfiguration.class)
@EnableConfigurationProperties(SagaProperties.class)
public class OrderSagaApplication {

    /** Base name of this service's configuration file, {@code order-saga-streams.properties}. */
    public static final String CONFIG_NAME = "order-saga-streams";


    /** Starts the service; {@code args} are Spring Boot command-line properties. */
    public static void main(String[] args) {
        application().run(args);
    }

    /** The application, reading {@value #CONFIG_NAME}{@code .properties} so that it can share a JVM with other services. */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(OrderSagaApplication.class).properties("spring.config.name=" + CONFIG_NAME);
    }

    /**
     * Defines {@link OrderSagaTopology} on the shared StreamsBuilder, with the saga timing from {@link SagaProperties}.
     *
     * @return the timing the topology was defined with
     */
    @Bean
    public OrderSaga.Timings orderSagaTopology(StreamsBuilder builder, EventSerdes serdes, SagaProperties properties) {
        OrderSaga.Timings timings = properties.timings();
        OrderSagaTopology.define(builder, timings, serdes);
        return timings;
    }

    /** This instance's partitions of the saga store, for the operators' queries and the in-flight gauges. */
    @Bean
    public LocalSagas localSagas(StreamsBuilderFactoryBean streams) {
        return new LocalSagas(streams);
    }

    /** The gauge of sagas in flight by status at {@code /actuator/prometheus}; see {@link SagasInFlight}. */
    @Bean
    public SagasInFlight sagasInFlight(LocalSagas sagas) {
        return new SagasInFlight(sagas, Clock.systemUTC());
    }

    /** Checks, before the Streams client starts, that {@link OrderSagaTopology#CO_PARTITIONED} are co-partitioned. */
    @Bean
    public SmartLifecycle coPartitioningCheck(KafkaAdmin kafkaAdmin, StreamsBuilderFactoryBean streams) {
        return CoPartitioning.checkBeforeStart(kafkaAdmin, streams, OrderSagaTopology.CO_PARTITIONED);
    }
}
