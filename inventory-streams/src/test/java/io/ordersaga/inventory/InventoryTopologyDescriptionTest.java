package io.ordersaga.inventory;

import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.Retention;
import io.ordersaga.common.Topics;
import io.ordersaga.common.testing.TopologyNodes;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The topology reads and writes the catalogue's topics and owns the documented stores. */
class InventoryTopologyDescriptionTest {

    @Test
    void namesItsStoresAndTopics() {
        TopologyDescription description = InventoryTopology.build(InventoryTopology.Config.defaults(),
                EventSerdes.unregistered()).describe();
        TopologyNodes nodes = TopologyNodes.of(description);

        assertThat(description.subtopologies()).hasSize(1);
        assertThat(nodes.sources()).containsExactly(Topics.INVENTORY_COMMANDS.name());
        assertThat(nodes.sinks()).containsExactlyInAnyOrder(Topics.INVENTORY_REPLIES.name(), Topics.STOCK_ADJUSTMENT_REJECTIONS.name());
        assertThat(nodes.stores()).containsExactlyInAnyOrder(InventoryTopology.STOCK_STORE, InventoryTopology.RESERVATIONS_STORE,
                InventoryTopology.RETENTION_STORE, InventoryTopology.ADJUSTMENTS_STORE, InventoryTopology.ADJUSTMENT_RETENTION_STORE);
    }
}
