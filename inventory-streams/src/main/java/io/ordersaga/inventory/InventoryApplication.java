package io.ordersaga.inventory;

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
 * The inventory-streams service: {@link InventoryTopology} on the shared Streams wiring
 * ({@link StreamsServiceConfiguration}) and the stock query endpoint ({@link StockController}).
 * Configured by {@code inventory-streams.properties} (HTTP port 8082), including
 * {@code ordersaga.inventory.retention-ms}, {@code ordersaga.inventory.retention-scan-interval-ms} and
 * {@code ordersaga.inventory.adjustment-dedup-ms}.
 */
@SpringBootApplication
@Import(StreamsServiceConfiguration.class)
public class InventoryApplication {

    /** Base name of this service's configuration file, {@code inventory-streams.properties}. */
    public static final String CONFIG_NAME = "inventory-streams";

    /** Starts the service; {@code args} are Spring Boot command-line properties. */
    public static void main(String[] args) {
        application().run(args);
    }

    /** The application, reading {@value #CONFIG_NAME}{@code .properties} so that it can share a JVM with other services. */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(InventoryApplication.class).properties("spring.config.name=" + CONFIG_NAME);
    }

    /**
     * Defines {@link InventoryTopology} on the {@code StreamsBuilder} bean, before the Streams client starts.
     *
     * @param retentionMs     how long closed reservations are kept, in ms
     * @param scanIntervalMs  how often expired reservations and adjustmentIds are deleted, in ms (wall clock)
     * @param adjustmentDedupMs how long a done adjustmentId is remembered, so that a retry is applied once, in ms
     * @throws IllegalArgumentException when a duration is not positive
     */
    @Autowired
    void defineTopology(StreamsBuilder builder, EventSerdes serdes,
                        @Value("${ordersaga.inventory.retention-ms}") long retentionMs,
                        @Value("${ordersaga.inventory.retention-scan-interval-ms}") long scanIntervalMs,
                        @Value("${ordersaga.inventory.adjustment-dedup-ms}") long adjustmentDedupMs) {
        InventoryTopology.define(builder, new InventoryTopology.Config(new Retention(retentionMs, scanIntervalMs),
                new Retention(adjustmentDedupMs, scanIntervalMs)), serdes);
    }
}
