package io.ordersaga.payment;

import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.Retention;
import io.ordersaga.common.spring.StreamsServiceConfiguration;
import org.apache.kafka.streams.StreamsBuilder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Import;

/**
 * The payment-streams service: {@link PaymentTopology} on the shared Streams wiring
 * ({@link StreamsServiceConfiguration}) and the wallet query endpoint ({@link WalletController}).
 * Configured by {@code payment-streams.properties} (HTTP port 8083), including
 * {@code ordersaga.payment.retention-ms} and {@code ordersaga.payment.retention-scan-interval-ms}.
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
     * @param retentionMs    how long payments are kept after their last change, in ms
     * @param scanIntervalMs how often expired payments are deleted, in ms (wall clock)
     * @throws IllegalArgumentException when a duration is not positive
     */
    @Autowired
    void defineTopology(StreamsBuilder builder, EventSerdes serdes,
                        @Value("${ordersaga.payment.retention-ms}") long retentionMs,
                        @Value("${ordersaga.payment.retention-scan-interval-ms}") long scanIntervalMs) {
        PaymentTopology.define(builder, new Retention(retentionMs, scanIntervalMs), serdes);
    }
}
