package io.ordersaga.inventory;

import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.testing.StreamsApplicationTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service starts from {@code inventory-streams.properties} with the topology on its StreamsBuilder, without
 * a broker or a registry: the Streams client and topic creation are switched off (so health reports DOWN), and the
 * registry serdes, which register the schemas at start, are replaced by {@link EventSerdes#unregistered()}. The
 * health check comes from {@link StreamsApplicationTestSupport}.
 */
@SpringBootTest(classes = {InventoryApplication.class, StreamsApplicationTestSupport.UnregisteredSerdes.class}, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.name=" + InventoryApplication.CONFIG_NAME,
        "spring.kafka.streams.auto-startup=false",
        "spring.kafka.admin.auto-create=false",
        "spring.main.allow-bean-definition-overriding=true"})
class InventoryApplicationTest extends StreamsApplicationTestSupport {

    @Test
    void startsWithTheTopologyDefinedOnTheStreamsBuilder() {
        String description = streamsBuilder.build().describe().toString();

        assertThat(description).contains(InventoryTopology.PROCESSOR, InventoryTopology.STOCK.name(),
                InventoryTopology.RESERVATIONS.name(), InventoryTopology.RESERVATION_RETENTION.name());
    }
}
