package io.ordersaga.launcher;

import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.Topics;
import io.ordersaga.common.testing.TmpfsIfAvailable;
import io.ordersaga.common.testing.TopologyHarness;
import io.ordersaga.events.InventoryCommand;
import io.ordersaga.events.InventoryReply;
import io.ordersaga.events.OrderEvent;
import io.ordersaga.events.OrderRequest;
import io.ordersaga.events.OrderStatus;
import io.ordersaga.events.PaymentCharged;
import io.ordersaga.events.PaymentCommand;
import io.ordersaga.events.PaymentReply;
import io.ordersaga.events.PlaceOrder;
import io.ordersaga.events.Product;
import io.ordersaga.events.ReleaseStock;
import io.ordersaga.events.RefundPayment;
import io.ordersaga.events.RequestedLine;
import io.ordersaga.events.StockReserved;
import io.ordersaga.saga.OrderSaga;
import io.ordersaga.saga.OrderSagaTopology;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A record that deserializes but cannot be used (a tombstone on one of the saga's inputs) is rejected by the processor
 * with {@code InvalidRecordException}, lands in the dead-letter topic with Kafka Streams' KIP-1034 headers, and the next
 * good record is processed, with the production exception handlers in a TopologyTestDriver. Poison bytes (the
 * deserialization handler's path) are tested on the real broker by {@link DeadLetterEndToEndTest}: TopologyTestDriver
 * does not send the dead-letter records a deserialization handler returns.
 */
class DeadLetterTopologyTest {

    private static final Instant NOW = Instant.parse("2026-04-01T10:00:00Z");

    @TempDir(factory = TmpfsIfAvailable.class)
    Path stateDir;

    private final EventSerdes serdes = EventSerdes.unregistered();

    @Test
    void theSagaDeadLettersATombstoneOnEachInputAndTakesTheNextRecord() {
        try (TopologyHarness saga = new TopologyHarness("order-saga-streams",
                OrderSagaTopology.build(OrderSaga.Timings.defaults(), serdes), stateDir, NOW)) {
            saga.input(Topics.PRODUCTS).pipeInput("P1", new Product("P1", "Mug", 450L, NOW));
            var events = saga.output(Topics.ORDER_EVENTS);
            var inventoryCommands = saga.output(Topics.INVENTORY_COMMANDS);
            var paymentCommands = saga.output(Topics.PAYMENT_COMMANDS);
            for (String topic : List.of(Topics.ORDER_REQUESTS.name(), Topics.INVENTORY_REPLIES.name(), Topics.PAYMENT_REPLIES.name())) {
                poison(saga, topic, "o1", null);
            }

            saga.input(Topics.ORDER_REQUESTS).pipeInput("o1", new OrderRequest("o1", NOW,
                    new PlaceOrder("c1", null, List.of(new RequestedLine("P1", 1)))));
            saga.input(Topics.INVENTORY_REPLIES).pipeInput("o9", new InventoryReply("o9", "P1", new StockReserved(1)));
            saga.input(Topics.PAYMENT_REPLIES).pipeInput("o9", new PaymentReply("o9", "c9", new PaymentCharged(100L)));

            var letters = saga.deadLetters().readRecordsToList();
            for (String topic : List.of(Topics.ORDER_REQUESTS.name(), Topics.INVENTORY_REPLIES.name(), Topics.PAYMENT_REPLIES.name())) {
                assertDeadLettered(letters, topic, 1);
            }
            assertThat(events.readValuesToList()).extracting(OrderEvent::getStatus).containsExactly(OrderStatus.RESERVING);
            assertThat(inventoryCommands.readValuesToList()).extracting(InventoryCommand::getCommand)
                    .contains(new ReleaseStock("o9"));
            assertThat(paymentCommands.readValuesToList()).extracting(PaymentCommand::getCommand)
                    .containsExactly(new RefundPayment("o9"));
        }
    }

    private static void poison(TopologyHarness harness, String topic, String key, byte[] value) {
        harness.rawInput(topic).pipeInput(new TestRecord<>(key, value, NOW));
    }

    /** {@code letters} (a dead-letter topic's records) hold exactly {@code count} from {@code topic}, with KIP-1034 headers. */
    private static void assertDeadLettered(List<TestRecord<String, byte[]>> letters, String topic, int count) {
        List<TestRecord<String, byte[]>> fromTopic = letters.stream()
                .filter(r -> topic.equals(header(r.headers(), "__streams.errors.topic"))).toList();
        assertThat(fromTopic).as("dead letters from %s", topic).hasSize(count);
        for (TestRecord<String, byte[]> letter : fromTopic) {
            assertThat(header(letter.headers(), "__streams.errors.exception")).as("exception header").isNotBlank();
            assertThat(header(letter.headers(), "__streams.errors.partition")).as("partition header").isNotBlank();
            assertThat(header(letter.headers(), "__streams.errors.offset")).as("offset header").isNotBlank();
        }
    }

    private static String header(Headers headers, String name) {
        var header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
