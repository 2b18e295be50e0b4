package io.ordersaga.payment;

import io.ordersaga.common.CoPartitioning;
import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.Retention;
import io.ordersaga.common.spring.StreamsServiceConfiguration;
import org.apache.kafka.streams.StreamsBuilder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The payment-streams service: {@link PaymentTopology} on the shared Streams wiring
 * ({@link StreamsServiceConfiguration}) and the wallet query endpoint ({@link WalletController}).
 * Configured by {@code payment-streams.properties} (HTTP port 8083), including
 * {@code ordersaga.payment.retention-ms}, {@code ordersaga.payment.retention-scan-interval-ms} and
 * {@code ordersaga.payment.credit-dedup-ms}.
 */
@SpringBootApplication
@Import(StreamsServiceConfiguration.class)
public class PaymentApplication {

    /** Base name of this service's configuration file, {@code payment-streams.properties}. */
    public static final String CONFIG_NAME = "payment-streams";

    /** Starts the service; {@code args} are Spring Boot command-line properties. */
    public static void main(String[] args) {
        application().run(args);
    }

    /** The application, reading {@value #CONFIG_NAME}{@code .properties} so that it can share a JVM with other services. */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(PaymentApplication.class).properties("spring.config.name=" + CONFIG_NAME);
    }

    /**
     * Defines {@link PaymentTopology} on the {@code StreamsBuilder} bean, before the Streams client starts.
     *
     * @param retentionMs    how long closed payments are kept after they closed, in ms
     * @param scanIntervalMs how often expired payments and creditIds are deleted, in ms (wall clock)
     * @param creditDedupMs  how long an applied creditId is remembered, so that a retry is applied once, in ms
     * @throws IllegalArgumentException when a duration is not positive
     */
    @Autowired
    void defineTopology(StreamsBuilder builder, EventSerdes serdes,
                        @Value("${ordersaga.payment.retention-ms}") long retentionMs,
                        @Value("${ordersaga.payment.retention-scan-interval-ms}") long scanIntervalMs,
                        @Value("${ordersaga.payment.credit-dedup-ms}") long creditDedupMs) {
        PaymentTopology.define(builder, new PaymentTopology.Config(new Retention(retentionMs, scanIntervalMs),
                new Retention(creditDedupMs, scanIntervalMs)), serdes);
    }

    /** Checks, before the Streams client starts, that {@link PaymentTopology#CO_PARTITIONED} are co-partitioned. */
    @Bean
    public SmartLifecycle coPartitioningCheck(KafkaAdmin kafkaAdmin, StreamsBuilderFactoryBean streams) {
        return CoPartitioning.checkBeforeStart(kafkaAdmin, streams, PaymentTopology.CO_PARTITIONED);
    }
}
