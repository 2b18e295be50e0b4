package io.ordersaga.inventory;

import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.Retention;
import io.ordersaga.common.Topics;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The topology reads and writes the catalogue's topics and owns the documented stores. */
class InventoryTopologyDescriptionTest {

    @Test
    void namesItsStoresAndTopics() {
        TopologyDescription description = InventoryTopology.build(new Retention(1, 1),
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
        assertThat(sources).containsExactly(Topics.INVENTORY_COMMANDS.name());
        assertThat(sinks).containsExactlyInAnyOrder(Topics.INVENTORY_REPLIES.name(), Topics.STOCK_ADJUSTMENT_REJECTIONS.name());
        assertThat(stores).containsExactlyInAnyOrder(InventoryTopology.STOCK_STORE, InventoryTopology.RESERVATIONS_STORE,
                InventoryTopology.RETENTION_STORE);
    }
}
