package io.ordersaga.payment;

import io.ordersaga.common.CoPartitioning;
import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.spring.StreamsServiceConfiguration;
import org.apache.kafka.streams.StreamsBuilder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The payment-streams service: {@link PaymentTopology} on the shared Streams wiring
 * ({@link StreamsServiceConfiguration}) and the wallet query endpoint ({@link WalletQueryController}).
 * Configured by {@code payment-streams.properties} (HTTP port 8083) and {@link PaymentProperties}.
 */
@SpringBootApplication
@Import(StreamsServiceConfiguration.class)
@EnableConfigurationProperties(PaymentProperties.class)
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

    /** Defines {@link PaymentTopology} on the {@code StreamsBuilder} bean, before the Streams client starts. */
    @Autowired
    void defineTopology(StreamsBuilder builder, EventSerdes serdes, PaymentProperties properties) {
        PaymentTopology.define(builder, properties.config(), serdes);
    }

    /** Checks, before the Streams client starts, that {@link PaymentTopology#CO_PARTITIONED} are co-partitioned. */
    @Bean
    public SmartLifecycle coPartitioningCheck(KafkaAdmin kafkaAdmin, StreamsBuilderFactoryBean streams) {
        return CoPartitioning.checkBeforeStart(kafkaAdmin, streams, PaymentTopology.CO_PARTITIONED);
    }
}
