package io.ordersaga.payment;

import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.Topics;
import io.ordersaga.common.testing.StreamsApplicationTestSupport;
import io.ordersaga.common.testing.TopologyNodes;

import java.util.Set;

/**
 * payment-streams starts from {@code payment-streams.properties} with {@link PaymentTopology} on its StreamsBuilder:
 * it reads payment-commands and payment-settlements (co-partitioned), writes payment-replies, and owns the wallet,
 * payment and credit stores with their retention indexes. See {@link StreamsApplicationTestSupport}.
 */
class PaymentApplicationTest extends StreamsApplicationTestSupport {

    PaymentApplicationTest() {
        super(PaymentTopology.build(PaymentTopology.Config.defaults(), EventSerdes.unregistered()), new TopologyNodes(
                Set.of(Topics.PAYMENT_COMMANDS.name(), Topics.PAYMENT_SETTLEMENTS.name()), Set.of(Topics.PAYMENT_REPLIES.name()),
                Set.of(PaymentTopology.WALLETS.name(), PaymentTopology.PAYMENTS.name(), PaymentTopology.PAYMENT_RETENTION.name(),
                        PaymentTopology.CREDITS.name(), PaymentTopology.CREDIT_RETENTION.name())));
    }
}
