package io.ordersaga.view;

import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.StreamsDefaults;
import io.ordersaga.common.Topics;
import io.ordersaga.events.CustomerOrders;
import io.ordersaga.events.OrderEvent;
import io.ordersaga.events.OrderLine;
import io.ordersaga.events.OrderReason;
import io.ordersaga.events.OrderStatus;
import io.ordersaga.events.OrderSummary;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OrderViewTopologyTest {

    private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");

    @TempDir
    Path stateDir;

    private final List<String> changed = new ArrayList<>();
    private TopologyTestDriver driver;
    private TestInputTopic<String, OrderEvent> events;

    @AfterEach
    void close() {
        driver.close();
    }

    private void start(OrderViewTopology.Config config) {
        EventSerdes serdes = EventSerdes.unregistered();
        driver = new TopologyTestDriver(OrderViewTopology.build(config, serdes), StreamsDefaults.properties(
                "order-view-test", "dummy:9092", stateDir.toString(), null, 1, StreamsDefaults.COMMIT_INTERVAL_MS));
        events = driver.createInputTopic(Topics.ORDER_EVENTS.name(), Topics.ORDER_EVENTS.keySerde().serializer(),
                Topics.ORDER_EVENTS.valueSerde(serdes).serializer());
    }

    private void start() {
        start(new OrderViewTopology.Config(changed::add, OrderViewTopology.DEFAULT_MAX_ORDERS_PER_CUSTOMER));
    }

    private KeyValueStore<String, OrderEvent> orders() {
        return driver.getKeyValueStore(OrderViewTopology.ORDERS_STORE);
    }

    private KeyValueStore<String, CustomerOrders> customers() {
        return driver.getKeyValueStore(OrderViewTopology.CUSTOMER_ORDERS_STORE);
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

    private List<String> listedIds(String customerId) {
        return customers().get(customerId).getOrders().stream().map(OrderSummary::getOrderId).toList();
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
    void keepsTheNewestSnapshotAndIgnoresOlderAndDuplicateOnes() {
        start();
        OrderEvent reserving = snapshot("o-1", "17850", OrderStatus.RESERVING, 0, 1);
        OrderEvent confirmed = snapshot("o-1", "17850", OrderStatus.CONFIRMED, 0, 3);
        pipe(reserving);
        pipe(confirmed);
        pipe(reserving);
        pipe(snapshot("o-1", "17850", OrderStatus.PENDING, 0, 0));
        pipe(confirmed);

        assertThat(orders().get("o-1")).isEqualTo(confirmed);
        assertThat(customers().get("17850").getOrders()).singleElement()
                .satisfies(s -> assertThat(s.getStatus()).isEqualTo(OrderStatus.CONFIRMED));
        assertThat(changed).containsExactly("o-1", "o-1");
    }

    @Test
    void keepsADifferentSnapshotWithTheSameUpdatedAt() {
        start();
        pipe(snapshot("o-1", "17850", OrderStatus.PENDING, 0, 0));
        OrderEvent rejectedInTheSameMs = snapshot("o-1", "17850", OrderStatus.REJECTED, 0, 0);
        pipe(rejectedInTheSameMs);

        assertThat(orders().get("o-1")).isEqualTo(rejectedInTheSameMs);
        assertThat(customers().get("17850").getOrders().getFirst().getStatus()).isEqualTo(OrderStatus.REJECTED);
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
    void updatesTheCustomerIndexOnStatusChangeOnly() {
        start();
        pipe(snapshot("o-1", "17850", OrderStatus.PENDING, 10, 10));
        pipe(snapshot("o-2", "17850", OrderStatus.RESERVING, 20, 21));
        pipe(snapshot("o-1", "17850", OrderStatus.CANCELLED, 10, 30));
        pipe(snapshot("o-2", "17850", OrderStatus.RESERVING, 20, 40));

        List<OrderSummary> listed = customers().get("17850").getOrders();
        assertThat(listed).extracting(OrderSummary::getOrderId).containsExactly("o-2", "o-1");
        OrderSummary cancelled = listed.get(1);
        assertThat(cancelled.getStatus()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(cancelled.getReason()).isEqualTo(OrderReason.OUT_OF_STOCK);
        assertThat(cancelled.getTotal()).isEqualTo(1530L);
        assertThat(cancelled.getUpdatedAt()).isEqualTo(T0.plusSeconds(30));
        // o-2's second RESERVING snapshot changed updatedAt only: the order is stored, the summary is not re-keyed.
        assertThat(orders().get("o-2").getUpdatedAt()).isEqualTo(T0.plusSeconds(40));
        assertThat(listed.getFirst().getUpdatedAt()).isEqualTo(T0.plusSeconds(21));
    }

    @Test
    void callsTheListenerAfterTheSnapshotIsReadable() {
        List<OrderStatus> seenByListener = new ArrayList<>();
        start(new OrderViewTopology.Config(orderId -> seenByListener.add(orders().get(orderId).getStatus()), 10));
        pipe(snapshot("o-1", "17850", OrderStatus.PENDING, 0, 0));
        pipe(snapshot("o-1", "17850", OrderStatus.RESERVING, 0, 1));
        pipe(snapshot("o-1", "17850", OrderStatus.RESERVING, 0, 1));

        assertThat(seenByListener).containsExactly(OrderStatus.PENDING, OrderStatus.RESERVING);
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
