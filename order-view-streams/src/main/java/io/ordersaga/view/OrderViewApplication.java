package io.ordersaga.view;

import io.ordersaga.common.orders.OrderWaiters;
import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.spring.StreamsServiceConfiguration;
import org.apache.kafka.streams.StreamsBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * order-view-streams: the read model of orders ({@link OrderViewTopology}) served over HTTP
 * ({@link OrderViewController}). Reads {@code order-view-streams.properties}; port 8085 on the local stack.
 * Its own settings: {@link ViewProperties}.
 */
@SpringBootApplication
@Import(StreamsServiceConfiguration.class)
@EnableConfigurationProperties(ViewProperties.class)
public class OrderViewApplication {

    /** The application, configured from {@code order-view-streams.properties}. */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(OrderViewApplication.class).properties("spring.config.name=order-view-streams");
    }

    /** Starts the service. */
    public static void main(String[] args) {
        application().run(args);
    }

    /** The long polls of this instance, woken after each update of its orders table. */
    @Bean
    public OrderWaiters orderWaiters() {
        return new OrderWaiters();
    }

    /** Defines the read model on the shared StreamsBuilder; returns the configuration it was built with. */
    @Bean
    public OrderViewTopology.Config orderViewTopology(StreamsBuilder builder, EventSerdes serdes, OrderWaiters waiters,
                                                      ViewProperties properties) {
        OrderViewTopology.Config config = new OrderViewTopology.Config(waiters, properties.maxOrdersPerCustomerOrDefault());
        OrderViewTopology.define(builder, config, serdes);
        return config;
    }
}
