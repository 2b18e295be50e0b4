package io.ordersaga.api;

import io.ordersaga.common.spring.OrderSagaProperties;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * order-api: the one entry point for users (port 8080 on the local stack), a web application only, not a Streams
 * application. Writes validated requests to Kafka ({@link EventPublisher}) and relays reads to the services
 * ({@link Backends}), both defined by {@link ApiConfiguration}. Reads {@code order-api.properties}:
 * {@code ordersaga.registry-url}, {@code ordersaga.partitions} and {@code ordersaga.replication-factor}
 * ({@link OrderSagaProperties}), {@code ordersaga.api.*} ({@link ApiProperties}), and
 * {@code spring.kafka.bootstrap-servers} / {@code spring.kafka.producer.*}.
 */
@SpringBootApplication
@EnableConfigurationProperties({OrderSagaProperties.class, ApiProperties.class})
public class OrderApiApplication {

    /** The application, configured from {@code order-api.properties}. */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(OrderApiApplication.class).properties("spring.config.name=order-api");
    }

    /** Starts the service. */
    public static void main(String[] args) {
        application().run(args);
    }
}
