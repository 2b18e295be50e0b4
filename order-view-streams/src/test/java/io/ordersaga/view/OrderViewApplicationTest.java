package io.ordersaga.view;

import io.ordersaga.common.orders.OrderWaiters;
import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.Topics;
import io.ordersaga.events.OrderEvent;
import io.ordersaga.events.OrderStatus;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.test.context.bean.override.convention.TestBean;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole application context from order-view-streams.properties, with the Streams client not started, no topics
 * created (no broker) and unregistered serdes (no registry): the read model is defined on the shared StreamsBuilder
 * with the waiters as listener, and built with the service's Streams properties.
 */
@SpringBootTest(classes = OrderViewApplication.class, properties = {"spring.config.name=order-view-streams",
        "spring.kafka.streams.auto-startup=false", "spring.kafka.admin.auto-create=false",
        "ordersaga.state-dir=target/state/order-view-application-test"})
class OrderViewApplicationTest {

    @TestBean
    EventSerdes eventSerdes;

    static EventSerdes eventSerdes() {
        return EventSerdes.unregistered();
    }

    @Autowired
    StreamsBuilderFactoryBean streams;

    @Autowired
    OrderViewTopology.Config config;

    @Autowired
    OrderWaiters waiters;

    @Test
    void definesTheReadModelOnTheSharedStreamsBuilder() {
        assertThat(config.onChange()).isSameAs(waiters);
        assertThat(config.maxOrdersPerCustomer()).isEqualTo(OrderViewTopology.DEFAULT_MAX_ORDERS_PER_CUSTOMER);
        Set<String> stores = new HashSet<>();
        TopologyDescription description = streams.getTopology().describe();
        description.subtopologies().forEach(s -> s.nodes().forEach(n -> {
            if (n instanceof TopologyDescription.Processor p) {
                stores.addAll(p.stores());
            }
        }));
        assertThat(stores).containsExactlyInAnyOrder(OrderViewTopology.ORDERS.name(), OrderViewTopology.CUSTOMER_ORDERS.name());
    }

    @Test
    void theServicesTopologyGivesTheOrdersStoreAChangelogOfItsOwn() {
        // The topology Spring built with the service's Streams properties (topology.optimization=all).
        try (TopologyTestDriver driver = new TopologyTestDriver(streams.getTopology(), streams.getStreamsConfiguration())) {
            Instant now = Instant.parse("2026-01-05T10:00:00Z");
            driver.createInputTopic(Topics.ORDER_EVENTS.name(), Topics.ORDER_EVENTS.keySerde().serializer(),
                            Topics.ORDER_EVENTS.valueSerde(eventSerdes).serializer())
                    .pipeInput("o-1", new OrderEvent("o-1", "17850", OrderStatus.RESERVING, null, null, List.of(), 0L,
                            "GBP", now, now));

            assertThat(driver.producedTopicNames()).containsExactlyInAnyOrder("order-view-streams-orders-changelog",
                    "order-view-streams-customer-orders-repartition", "order-view-streams-customer-orders-changelog");
        }
    }
}
