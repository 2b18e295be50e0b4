package io.ordersaga.payment;

import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.Retention;
import io.ordersaga.common.Topics;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The topology reads and writes the catalogue's topics and owns the documented stores. */
class PaymentTopologyDescriptionTest {

    @Test
    void namesItsStoresAndTopics() {
        TopologyDescription description = PaymentTopology.build(new Retention(1, 1),
                EventSerdes.unregistered()).describe();

        Set<String> sources = new HashSet<>();
        Set<String> sinks = new HashSet<>();
        Set<String> stores = new HashSet<>();
        description.subtopologies().forEach(subtopology -> subtopology.nodes().forEach(node -> {
            switch (node) {
                case TopologyDescription.Source source -> sources.addAll(source.topicSet());
                case TopologyDescription.Sink sink -> sinks.add(sink.topic());
                case TopologyDescription.Processor processor -> stores.addAll(processor.stores());
                default -> throw new AssertionError("unexpected node " + node);
            }
        }));

        assertThat(description.subtopologies()).hasSize(1);
        assertThat(sources).containsExactly(Topics.PAYMENT_COMMANDS.name());
        assertThat(sinks).containsExactly(Topics.PAYMENT_REPLIES.name());
        assertThat(stores).containsExactlyInAnyOrder(PaymentTopology.WALLETS_STORE, PaymentTopology.PAYMENTS_STORE,
                PaymentTopology.RETENTION_STORE);
    }
}
