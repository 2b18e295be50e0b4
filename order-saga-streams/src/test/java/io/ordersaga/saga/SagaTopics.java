package io.ordersaga.saga;

import io.ordersaga.common.Topics;
import io.ordersaga.common.testing.TopologyHarness;
import io.ordersaga.events.InventoryCommand;
import io.ordersaga.events.InventoryReply;
import io.ordersaga.events.OrderEvent;
import io.ordersaga.events.OrderRequest;
import io.ordersaga.events.PaymentCommand;
import io.ordersaga.events.PaymentReply;
import io.ordersaga.events.PaymentSettlement;
import io.ordersaga.events.Product;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;

/**
 * The saga topology's topics in one {@link TopologyHarness}, typed as the catalogue declares them: the four it reads
 * (the catalog, order requests and the two services' replies) and the four it writes (the two services' commands,
 * payment settlements and order events).
 */
record SagaTopics(
        TestInputTopic<String, Product> products,
        TestInputTopic<String, OrderRequest> requests,
        TestInputTopic<String, InventoryReply> inventoryReplies,
        TestInputTopic<String, PaymentReply> paymentReplies,
        TestOutputTopic<String, InventoryCommand> inventoryCommands,
        TestOutputTopic<String, PaymentCommand> paymentCommands,
        TestOutputTopic<String, PaymentSettlement> settlements,
        TestOutputTopic<String, OrderEvent> orderEvents) {

    /** The saga's topics in {@code harness}, which runs {@link OrderSagaTopology}. */
    static SagaTopics of(TopologyHarness harness) {
        return new SagaTopics(
                harness.input(Topics.PRODUCTS),
                harness.input(Topics.ORDER_REQUESTS),
                harness.input(Topics.INVENTORY_REPLIES),
                harness.input(Topics.PAYMENT_REPLIES),
                harness.output(Topics.INVENTORY_COMMANDS),
                harness.output(Topics.PAYMENT_COMMANDS),
                harness.output(Topics.PAYMENT_SETTLEMENTS),
                harness.output(Topics.ORDER_EVENTS));
    }
}
