package io.ordersaga.view;

import io.ordersaga.common.orders.OrderChangeListener;
import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.testing.TopologyHarness;
import io.ordersaga.common.Topics;
import io.ordersaga.events.CustomerOrders;
import io.ordersaga.events.OrderEvent;
import io.ordersaga.events.OrderLine;
import io.ordersaga.events.OrderReason;
import io.ordersaga.events.OrderStatus;
import io.ordersaga.events.OrderSummary;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class OrderViewTopologyTest {

    private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");
    private static final String APPLICATION_ID = "order-view-test";
    private static final String ORDERS_CHANGELOG = APPLICATION_ID + "-orders-changelog";
    private static final String CUSTOMER_ORDERS_REPARTITION = APPLICATION_ID + "-customer-orders-repartition";
    private static final String CUSTOMER_ORDERS_CHANGELOG = APPLICATION_ID + "-customer-orders-changelog";

    @TempDir
    Path stateDir;

    private final EventSerdes serdes = EventSerdes.unregistered();
    private final List<String> changed = new ArrayList<>();
    private TopologyHarness harness;
    private TopologyTestDriver driver;
    private TestInputTopic<String, OrderEvent> events;

    @AfterEach
    void close() {
        harness.close();
    }

    private void start(Topology topology) {
        harness = new TopologyHarness(APPLICATION_ID, topology, stateDir, Instant.parse("2026-02-01T10:00:00Z"));
        driver = harness.driver();
        events = harness.input(Topics.ORDER_EVENTS);
    }

    private void start(OrderViewTopology.Config config) {
        start(OrderViewTopology.build(config, serdes));
    }

    private void start() {
        start(new OrderViewTopology.Config(changed::add, OrderViewTopology.DEFAULT_MAX_ORDERS_PER_CUSTOMER));
    }

    private KeyValueStore<String, OrderEvent> orders() {
        return driver.getKeyValueStore(OrderViewTopology.ORDERS.name());
    }

    private KeyValueStore<String, CustomerOrders> customers() {
        return driver.getKeyValueStore(OrderViewTopology.CUSTOMER_ORDERS.name());
    }

    private static OrderEvent snapshot(String orderId, String customerId, OrderStatus status, long createdSec, long updatedSec) {
        List<OrderLine> lines = List.of(new OrderLine("85123A", "WHITE HANGING HEART T-LIGHT HOLDER", 6, 255L, 1530L));
        return new OrderEvent(orderId, customerId, status,
                status == OrderStatus.CANCELLED ? OrderReason.OUT_OF_STOCK : null,
                status == OrderStatus.CANCELLED ? "85123A: 6 requested, 2 available" : null,
                lines, status == OrderStatus.PENDING ? 0 : 1530L, "GBP",
                T0.plusSeconds(createdSec), T0.plusSeconds(updatedSec));
    }

    private void pipe(OrderEvent event) {
        events.pipeInput(event.getOrderId(), event);
    }

    /** Pipes order o-1 of customer 17850, created at T0, through {@code statuses}, the n-th updated at T0 + n s. */
    private void pipeOneOrderThrough(OrderStatus... statuses) {
        for (int i = 0; i < statuses.length; i++) {
            pipe(snapshot("o-1", "17850", statuses[i], 0, i + 1));
        }
    }

    /** The summary the customer index lists for {@code order}. */
    private static OrderSummary summaryOf(OrderEvent order) {
        return new OrderSummary(order.getOrderId(), order.getStatus(), order.getReason(), order.getTotal(),
                order.getCurrency(), order.getCreatedAt(), order.getUpdatedAt());
    }

    private List<String> listedIds(String customerId) {
        return customers().get(customerId).getOrders().stream().map(OrderSummary::getOrderId).toList();
    }

    /** Records written to an internal topic so far (read from the driver's output, which keeps them). */
    private int written(String topic) {
        return (int) driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer()).getQueueSize();
    }

    /** The statuses of the summaries re-keyed to the customer index so far, consuming them from the driver's output. */
    private List<OrderStatus> reKeyed() {
        return driver.createOutputTopic(CUSTOMER_ORDERS_REPARTITION, Serdes.String().deserializer(),
                serdes.forValue(OrderSummary.class).deserializer()).readValuesToList().stream()
                .map(OrderSummary::getStatus).toList();
    }

    @Test
    void storesTheSnapshotAndIndexesItUnderItsCustomer() {
        start();
        OrderEvent placed = snapshot("o-1", "17850", OrderStatus.PENDING, 0, 0);
        pipe(placed);

        assertThat(orders().get("o-1")).isEqualTo(placed);
        CustomerOrders index = customers().get("17850");
        assertThat(index.getCustomerId()).isEqualTo("17850");
        assertThat(index.getOrders()).containsExactly(new OrderSummary("o-1", OrderStatus.PENDING, null, 0L, "GBP",
                placed.getCreatedAt(), placed.getUpdatedAt()));
    }

    @Test
    void theLatestRecordOfAnOrderIsItsSnapshotAndADuplicateChangesNothing() {
        start();
        OrderEvent reserving = snapshot("o-1", "17850", OrderStatus.RESERVING, 0, 1);
        OrderEvent confirmed = snapshot("o-1", "17850", OrderStatus.CONFIRMED, 0, 3);
        pipe(reserving);
        pipe(confirmed);
        List<OrderSummary> listed = customers().get("17850").getOrders();
        pipe(confirmed);

        assertThat(orders().get("o-1")).isEqualTo(confirmed);
        assertThat(customers().get("17850").getOrders()).isEqualTo(listed).singleElement()
                .satisfies(s -> assertThat(s.getStatus()).isEqualTo(OrderStatus.CONFIRMED));
        // One wake-up per record: a repeated wake-up costs a waiter one more read.
        assertThat(changed).containsExactly("o-1", "o-1", "o-1");
    }

    /**
     * One order's snapshots, in the order they arrive, and the summary the listing then shows: the rank of the
     * status decides, not the snapshots' updatedAt (the wall clocks of possibly different saga hosts).
     */
    static Stream<Arguments> snapshotsOfOneOrder() {
        return Stream.of(
                arguments("a different snapshot with the same updatedAt replaces the listed one",
                        List.of(snapshot("o-1", "17850", OrderStatus.PENDING, 0, 0),
                                snapshot("o-1", "17850", OrderStatus.REJECTED, 0, 0)), OrderStatus.REJECTED, 0),
                // RESERVING stamped by a host 10 s ahead; the task then moved to a host whose clock is behind.
                arguments("a terminal summary stamped earlier by a host whose clock is behind replaces it",
                        List.of(snapshot("o-1", "17850", OrderStatus.RESERVING, 0, 10),
                                snapshot("o-1", "17850", OrderStatus.CONFIRMED, 0, 5)), OrderStatus.CONFIRMED, 5),
                // A later in-flight snapshot of the same orderId (a saga started again under it, or a summary replayed).
                arguments("an in-flight summary never replaces a terminal one, whatever its updatedAt",
                        List.of(snapshot("o-1", "17850", OrderStatus.CANCELLED, 0, 5),
                                snapshot("o-1", "17850", OrderStatus.RESERVING, 0, 60)), OrderStatus.CANCELLED, 5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("snapshotsOfOneOrder")
    void storesTheLatestSnapshotAndListsTheMostAdvancedSummary(String rule, List<OrderEvent> snapshots,
                                                                 OrderStatus listedStatus, long listedUpdatedSec) {
        start();
        snapshots.forEach(this::pipe);

        assertThat(orders().get("o-1")).isEqualTo(snapshots.getLast());
        assertThat(customers().get("17850").getOrders()).singleElement().satisfies(s -> {
            assertThat(s.getStatus()).isEqualTo(listedStatus);
            assertThat(s.getUpdatedAt()).isEqualTo(T0.plusSeconds(listedUpdatedSec));
        });
    }

    @Test
    void listsACustomersOrdersNewestFirstByCreatedAt() {
        start();
        pipe(snapshot("o-2", "17850", OrderStatus.PENDING, 20, 20));
        pipe(snapshot("o-3", "17850", OrderStatus.PENDING, 30, 30));
        pipe(snapshot("o-1", "17850", OrderStatus.PENDING, 10, 10));
        pipe(snapshot("o-9", "13047", OrderStatus.PENDING, 40, 40));

        assertThat(listedIds("17850")).containsExactly("o-3", "o-2", "o-1");
        assertThat(listedIds("13047")).containsExactly("o-9");
        assertThat(customers().get("12345")).isNull();
    }

    @Test
    void updatesTheCustomerIndexWhenAnOrderIsPlacedAndWhenItEnds() {
        OrderEvent o2Placed = snapshot("o-2", "17850", OrderStatus.RESERVING, 20, 21);
        OrderEvent o1Cancelled = snapshot("o-1", "17850", OrderStatus.CANCELLED, 10, 30);
        start();
        pipe(snapshot("o-1", "17850", OrderStatus.PENDING, 10, 10));
        pipe(o2Placed);
        pipe(o1Cancelled);
        pipe(snapshot("o-2", "17850", OrderStatus.PAYING, 20, 40));

        // o-2 being paid: the order is stored, the listing still shows it as placed.
        assertThat(orders().get("o-2").getStatus()).isEqualTo(OrderStatus.PAYING);
        assertThat(customers().get("17850").getOrders()).containsExactly(summaryOf(o2Placed), summaryOf(o1Cancelled));
    }

    @Test
    void reKeysAnOrderWhenPlacedAndWhenEndedButNotWhilePaying() {
        start();
        pipe(snapshot("o-1", "17850", OrderStatus.RESERVING, 0, 1));
        assertThat(reKeyed()).containsExactly(OrderStatus.RESERVING);

        pipe(snapshot("o-1", "17850", OrderStatus.PAYING, 0, 2));
        assertThat(reKeyed()).isEmpty();
        assertThat(customers().get("17850").getOrders().getFirst().getStatus()).isEqualTo(OrderStatus.RESERVING);

        pipe(snapshot("o-1", "17850", OrderStatus.CONFIRMED, 0, 3));
        assertThat(reKeyed()).containsExactly(OrderStatus.CONFIRMED);
        assertThat(customers().get("17850").getOrders().getFirst().getStatus()).isEqualTo(OrderStatus.CONFIRMED);
    }

    @Test
    void aOneLineOrderThroughPayingCostsThreeOrdersChangelogTwoRepartitionAndTwoCustomerChangelogRecords() {
        start();
        pipeOneOrderThrough(OrderStatus.RESERVING, OrderStatus.PAYING, OrderStatus.CONFIRMED);

        assertThat(driver.producedTopicNames()).containsExactlyInAnyOrder(ORDERS_CHANGELOG, CUSTOMER_ORDERS_REPARTITION,
                CUSTOMER_ORDERS_CHANGELOG);
        assertThat(written(ORDERS_CHANGELOG)).isEqualTo(3);
        assertThat(written(CUSTOMER_ORDERS_REPARTITION)).isEqualTo(2);
        assertThat(written(CUSTOMER_ORDERS_CHANGELOG)).isEqualTo(2);
        assertThat(orders().get("o-1").getStatus()).isEqualTo(OrderStatus.CONFIRMED);
    }

    @Test
    void skipsAPoisonRecordBeforeTheTableSoNeitherTheStoreNorItsChangelogTakesIt() {
        start();
        OrderEvent reserving = snapshot("o-1", "17850", OrderStatus.RESERVING, 0, 1);
        pipe(reserving);
        // A value that is no Avro of OrderEvent, under the key of an order the store holds.
        driver.createInputTopic(Topics.ORDER_EVENTS.name(), Serdes.String().serializer(), new ByteArraySerializer())
                .pipeInput("o-1", new byte[] {0x7F, 0, 0, 0, 1, 2, 3});

        assertThat(orders().get("o-1")).isEqualTo(reserving);
        assertThat(driver.createOutputTopic(ORDERS_CHANGELOG, Serdes.String().deserializer(),
                Topics.ORDER_EVENTS.valueSerde(serdes).deserializer()).readValuesToList()).containsExactly(reserving);
        assertThat(changed).containsExactly("o-1");
    }

    @Test
    void callsTheListenerAfterTheSnapshotIsReadable() {
        List<OrderStatus> seenByListener = new ArrayList<>();
        start(new OrderViewTopology.Config(orderId -> seenByListener.add(orders().get(orderId).getStatus()), 10));
        pipeOneOrderThrough(OrderStatus.PENDING, OrderStatus.RESERVING, OrderStatus.PAYING, OrderStatus.CONFIRMED);

        assertThat(seenByListener).containsExactly(OrderStatus.PENDING, OrderStatus.RESERVING, OrderStatus.PAYING,
                OrderStatus.CONFIRMED);
    }

    @Test
    void keepsOnlyTheNewestOrdersOfACustomer() {
        start(new OrderViewTopology.Config(OrderChangeListener.NONE, 2));
        pipe(snapshot("o-1", "17850", OrderStatus.PENDING, 10, 10));
        pipe(snapshot("o-2", "17850", OrderStatus.PENDING, 20, 20));
        pipe(snapshot("o-3", "17850", OrderStatus.PENDING, 30, 30));
        pipe(snapshot("o-1", "17850", OrderStatus.CANCELLED, 10, 40));
        pipe(snapshot("o-2", "17850", OrderStatus.CONFIRMED, 20, 50));

        List<OrderSummary> listed = customers().get("17850").getOrders();
        assertThat(listed).extracting(OrderSummary::getOrderId).containsExactly("o-3", "o-2");
        assertThat(listed.get(1).getStatus()).isEqualTo(OrderStatus.CONFIRMED);
        assertThat(orders().get("o-1").getStatus()).isEqualTo(OrderStatus.CANCELLED);
    }
}
