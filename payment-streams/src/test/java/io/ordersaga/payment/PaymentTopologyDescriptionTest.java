package io.ordersaga.payment;

import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.Topics;
import io.ordersaga.common.testing.TopologyNodes;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The topology reads and writes the catalogue's topics and owns the documented stores. */
class PaymentTopologyDescriptionTest {

    @Test
    void namesItsStoresAndTopics() {
        TopologyDescription description = PaymentTopology.build(PaymentTopology.Config.defaults(),
                EventSerdes.unregistered()).describe();
        TopologyNodes nodes = TopologyNodes.of(description);

        assertThat(description.subtopologies()).hasSize(1);
        assertThat(nodes.sources()).containsExactlyInAnyOrder(Topics.PAYMENT_COMMANDS.name(), Topics.PAYMENT_SETTLEMENTS.name());
        assertThat(nodes.sinks()).containsExactly(Topics.PAYMENT_REPLIES.name());
        assertThat(nodes.stores()).containsExactlyInAnyOrder(PaymentTopology.WALLETS.name(), PaymentTopology.PAYMENTS.name(),
                PaymentTopology.PAYMENT_RETENTION.name(), PaymentTopology.CREDITS.name(), PaymentTopology.CREDIT_RETENTION.name());
    }
}
