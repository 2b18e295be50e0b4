package io.ordersaga.view;

import io.ordersaga.common.EventSerdes;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.test.context.bean.override.convention.TestBean;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole application context from order-view-streams.properties, with the Streams client not started, no topics
 * created (no broker) and unregistered serdes (no registry): the read model is defined on the shared StreamsBuilder
 * with the waiters as listener.
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
    void definesTheReadModelOnTheSharedStreamsBuilder() throws Exception {
        assertThat(config.onChange()).isSameAs(waiters);
        assertThat(config.maxOrdersPerCustomer()).isEqualTo(OrderViewTopology.DEFAULT_MAX_ORDERS_PER_CUSTOMER);
        Set<String> stores = new HashSet<>();
        TopologyDescription description = streams.getObject().build().describe();
        description.subtopologies().forEach(s -> s.nodes().forEach(n -> {
            if (n instanceof TopologyDescription.Processor p) {
                stores.addAll(p.stores());
            }
        }));
        assertThat(stores).containsExactlyInAnyOrder(OrderViewTopology.ORDERS_STORE, OrderViewTopology.CUSTOMER_ORDERS_STORE);
    }
}
