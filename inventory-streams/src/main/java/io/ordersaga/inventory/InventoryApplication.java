package io.ordersaga.inventory;

import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.spring.StreamsServiceConfiguration;
import org.apache.kafka.streams.StreamsBuilder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Import;

/**
 * The inventory-streams service: {@link InventoryTopology} on the shared Streams wiring
 * ({@link StreamsServiceConfiguration}) and the stock query endpoint ({@link StockQueryController}).
 * Configured by {@code inventory-streams.properties} (HTTP port 8082) and {@link InventoryProperties}.
 */
@SpringBootApplication
@Import(StreamsServiceConfiguration.class)
@EnableConfigurationProperties(InventoryProperties.class)
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

    /** Defines {@link InventoryTopology} on the {@code StreamsBuilder} bean, before the Streams client starts. */
    @Autowired
    void defineTopology(StreamsBuilder builder, EventSerdes serdes, InventoryProperties properties) {
        InventoryTopology.define(builder, properties.config(), serdes);
    }
}
