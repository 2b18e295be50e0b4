package io.ordersaga.inventory;

import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.Topics;
import io.ordersaga.common.testing.StreamsApplicationTestSupport;
import io.ordersaga.common.testing.TopologyNodes;

import java.util.Set;

/**
 * inventory-streams starts from {@code inventory-streams.properties} with {@link InventoryTopology} on its
 * StreamsBuilder: it reads inventory-commands, writes inventory-replies and stock-adjustment rejections, and owns
 * the stock, reservation and adjustment stores with their retention indexes. See {@link StreamsApplicationTestSupport}.
 */
class InventoryApplicationTest extends StreamsApplicationTestSupport {

    InventoryApplicationTest() {
        super(InventoryTopology.build(InventoryTopology.Config.defaults(), EventSerdes.unregistered()),
                new TopologyNodes(Set.of(Topics.INVENTORY_COMMANDS.name()),
                        Set.of(Topics.INVENTORY_REPLIES.name(), Topics.STOCK_ADJUSTMENT_REJECTIONS.name()),
                        Set.of(InventoryTopology.STOCK.name(), InventoryTopology.RESERVATIONS.name(),
                                InventoryTopology.RESERVATION_RETENTION.name(), InventoryTopology.ADJUSTMENTS.name(),
                                InventoryTopology.ADJUSTMENT_RETENTION.name())));
    }
}
