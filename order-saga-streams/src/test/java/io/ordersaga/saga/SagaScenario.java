package io.ordersaga.saga;

import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.testing.TopologyHarness;
import io.ordersaga.events.CancelOrder;
import io.ordersaga.events.ChargePayment;
import io.ordersaga.events.CommitStock;
import io.ordersaga.events.DeclineReason;
import io.ordersaga.events.InventoryCommand;
import io.ordersaga.events.InventoryReply;
import io.ordersaga.events.OrderEvent;
import io.ordersaga.events.OrderReason;
import io.ordersaga.events.OrderRequest;
import io.ordersaga.events.OrderSagaState;
import io.ordersaga.events.OrderStatus;
import io.ordersaga.events.PaymentCharged;
import io.ordersaga.events.PaymentCommand;
import io.ordersaga.events.PaymentDeclined;
import io.ordersaga.events.PaymentReply;
import io.ordersaga.events.PaymentSettlement;
import io.ordersaga.events.PlaceOrder;
import io.ordersaga.events.Product;
import io.ordersaga.events.RefundPayment;
import io.ordersaga.events.ReleaseStock;
import io.ordersaga.events.RequestedLine;
import io.ordersaga.events.ReserveStock;
import io.ordersaga.events.StockRejectReason;
import io.ordersaga.events.StockRejected;
import io.ordersaga.events.StockReserved;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A given/when/then harness over the saga topology in a TopologyTestDriver, so that a test reads like the
 * saga's sequence diagram: given the catalog, when a request or reply arrives (or time passes), then these
 * commands and order events come out. Every {@code then} drains what it checks, so {@link #thenNothingElse()}
 * at the end of a test proves nothing unexpected was sent.
 */
final class SagaScenario implements AutoCloseable {

    /** Wall-clock time when every scenario starts. */
    static final Instant START = Instant.parse("2025-06-02T09:00:00Z");

    private final TopologyHarness driver;
    private final SagaTopics topics;
    private Instant now = START;
    private OrderEvent lastEvent;

    SagaScenario() {
        this(OrderSaga.Timings.defaults());
    }

    SagaScenario(OrderSaga.Timings config) {
        Path stateDir = Path.of("target", "kafka-streams", UUID.randomUUID().toString()).toAbsolutePath();
        driver = new TopologyHarness("order-saga-streams", OrderSagaTopology.build(config, EventSerdes.unregistered()), stateDir, START);
        topics = SagaTopics.of(driver);
    }

    // ---- given

    SagaScenario givenProduct(String productId, String name, long unitPricePence) {
        topics.products().pipeInput(productId, new Product(productId, name, unitPricePence, now), now);
        return this;
    }

    /**
     * A saga already in the store, as the processor would have left it (a saga taken over from an older release);
     * its deadline is not indexed, so only inputs move it.
     */
    SagaScenario givenStoredSaga(String orderId, OrderSagaState saga) {
        sagas().put(orderId, saga);
        return this;
    }

    // ---- when

    SagaScenario whenPlaced(String orderId, String customerId, RequestedLine... lines) {
        return whenPlaced(orderId, new PlaceOrder(customerId, null, List.of(lines)));
    }

    SagaScenario whenPlaced(String orderId, PlaceOrder order) {
        return whenRequested(orderId, order);
    }

    /** A cancel written before CancelOrder said who asked (requestedBy null): taken as the customer's. */
    SagaScenario whenCancelled(String orderId) {
        return whenRequested(orderId, CancelOrder.newBuilder().build());
    }

    /** A cancel asked by {@code customerId} (not an admin). */
    SagaScenario whenCancelledBy(String orderId, String customerId) {
        return whenRequested(orderId, CancelOrder.newBuilder().setRequestedBy(customerId).build());
    }

    /** An operator's compensate (a CancelOrder with admin true, as {@code POST /admin/orders/{id}/compensate} writes). */
    SagaScenario whenCompensatedByAnOperator(String orderId) {
        return whenRequested(orderId, CancelOrder.newBuilder().setAdmin(true).build());
    }

    SagaScenario whenReserved(String orderId, String productId, int quantity) {
        return whenInventoryReplied(orderId, productId, new StockReserved(quantity));
    }

    SagaScenario whenOutOfStock(String orderId, String productId, int requested, long available) {
        return whenInventoryReplied(orderId, productId, new StockRejected(requested, available, StockRejectReason.OUT_OF_STOCK));
    }

    SagaScenario whenCharged(String orderId, String customerId, long amountPence) {
        return whenPaymentReplied(orderId, customerId, new PaymentCharged(amountPence));
    }

    SagaScenario whenDeclined(String orderId, String customerId, long amountPence, long balancePence) {
        return whenPaymentReplied(orderId, customerId, new PaymentDeclined(amountPence, balancePence, DeclineReason.INSUFFICIENT_FUNDS));
    }

    /** Advances the wall clock, which runs the saga's wall-clock punctuator once. */
    SagaScenario whenTimePasses(Duration duration) {
        now = now.plus(duration);
        driver.advanceWallClock(duration);
        return this;
    }

    /** Sends {@code request} (a PlaceOrder or a CancelOrder) for {@code orderId}, as order-api writes it. */
    private SagaScenario whenRequested(String orderId, Object request) {
        topics.requests().pipeInput(orderId, new OrderRequest(orderId, now, request), now);
        return this;
    }

    /** Sends inventory's reply about {@code productId} of {@code orderId}, with its {@code outcome}. */
    private SagaScenario whenInventoryReplied(String orderId, String productId, Object outcome) {
        topics.inventoryReplies().pipeInput(orderId, new InventoryReply(orderId, productId, outcome), now);
        return this;
    }

    /** Sends payment's reply about the charge of {@code orderId} to {@code customerId}, with its {@code outcome}. */
    private SagaScenario whenPaymentReplied(String orderId, String customerId, Object outcome) {
        topics.paymentReplies().pipeInput(orderId, new PaymentReply(orderId, customerId, outcome), now);
        return this;
    }

    // ---- then

    /** Exactly these inventory commands (key productId) were sent since the last check, in this order. */
    @SafeVarargs
    final SagaScenario thenInventory(KeyValue<String, InventoryCommand>... expected) {
        assertThat(topics.inventoryCommands().readKeyValuesToList()).as("inventory commands").containsExactly(expected);
        return this;
    }

    /** Exactly these payment commands (key customerId) were sent since the last check, in this order. */
    @SafeVarargs
    final SagaScenario thenPayment(KeyValue<String, PaymentCommand>... expected) {
        assertThat(topics.paymentCommands().readKeyValuesToList()).as("payment commands").containsExactly(expected);
        return this;
    }

    /** Exactly these payment settlements (key customerId) were sent since the last check, in this order. */
    @SafeVarargs
    final SagaScenario thenSettlement(KeyValue<String, PaymentSettlement>... expected) {
        assertThat(topics.settlements().readKeyValuesToList()).as("payment settlements").containsExactly(expected);
        return this;
    }

    /** The order's snapshots since the last check (key orderId) had exactly these statuses, in this order. */
    SagaScenario thenOrder(String orderId, OrderStatus... statuses) {
        List<KeyValue<String, OrderEvent>> events = topics.orderEvents().readKeyValuesToList();
        assertThat(events).as("order events").extracting(e -> e.key).containsOnly(orderId);
        assertThat(events).as("order events").extracting(e -> e.value.getStatus()).containsExactly(statuses);
        events.forEach(e -> {
            assertThat(e.value.getOrderId()).isEqualTo(orderId);
            assertThat(e.value.getCurrency()).isEqualTo("GBP");
            assertThat(e.value.getUpdatedAt()).isEqualTo(now);
        });
        if (!events.isEmpty()) {
            lastEvent = events.getLast().value;
        }
        return this;
    }

    /** The order's one snapshot since the last check is terminal {@code status} for {@code reason}. */
    SagaScenario thenOrder(String orderId, OrderStatus status, OrderReason reason) {
        thenOrder(orderId, status);
        assertThat(lastEvent.getReason()).as("reason").isEqualTo(reason);
        return this;
    }

    /** Forgets every command and order event sent so far, for a test about what comes next. */
    SagaScenario ignoringOutputSoFar() {
        topics.inventoryCommands().readRecordsToList();
        topics.paymentCommands().readRecordsToList();
        topics.settlements().readRecordsToList();
        topics.orderEvents().readRecordsToList();
        return this;
    }

    /** No command and no order event was sent since the last checks. */
    SagaScenario thenNothingElse() {
        assertThat(topics.inventoryCommands().isEmpty()).as("no more inventory commands").isTrue();
        assertThat(topics.paymentCommands().isEmpty()).as("no more payment commands").isTrue();
        assertThat(topics.settlements().isEmpty()).as("no more payment settlements").isTrue();
        assertThat(topics.orderEvents().isEmpty()).as("no more order events").isTrue();
        return this;
    }

    /** The last order snapshot a {@code thenOrder} read. */
    OrderEvent lastEvent() {
        return lastEvent;
    }

    /** The saga stored for {@code orderId}, or null. */
    OrderSagaState saga(String orderId) {
        return sagas().get(orderId);
    }

    /** orderIds of every stored saga. */
    List<String> storedSagas() {
        return keys(sagas());
    }

    /** Entries of the deadline index, as {@code "<13-digit ms>|orderId"}. */
    List<String> deadlineEntries() {
        return keys(driver.store(OrderSagaTopology.DEADLINES));
    }

    /** {@code query} over the values of the saga store, as {@link SagaQueryController} runs it, at the scenario's now. */
    <T> T query(java.util.function.BiFunction<java.util.Iterator<OrderSagaState>, Long, T> query) {
        List<OrderSagaState> values = new ArrayList<>();
        try (var all = sagas().all()) {
            all.forEachRemaining(kv -> values.add(kv.value));
        }
        return query.apply(values.iterator(), now.toEpochMilli());
    }

    private KeyValueStore<String, OrderSagaState> sagas() {
        return driver.store(OrderSagaTopology.SAGAS);
    }

    private static List<String> keys(KeyValueStore<String, ?> store) {
        List<String> keys = new ArrayList<>();
        try (var all = store.all()) {
            all.forEachRemaining(kv -> keys.add(kv.key));
        }
        return keys;
    }

    @Override
    public void close() {
        driver.close();
    }

    // ---- the records of the diagrams

    static RequestedLine line(String productId, int quantity) {
        return new RequestedLine(productId, quantity);
    }

    static KeyValue<String, InventoryCommand> reserve(String productId, String orderId, int quantity) {
        return KeyValue.pair(productId, new InventoryCommand(productId, new ReserveStock(orderId, quantity)));
    }

    static KeyValue<String, InventoryCommand> release(String productId, String orderId) {
        return KeyValue.pair(productId, new InventoryCommand(productId, new ReleaseStock(orderId)));
    }

    static KeyValue<String, InventoryCommand> commit(String productId, String orderId) {
        return KeyValue.pair(productId, new InventoryCommand(productId, new CommitStock(orderId)));
    }

    static KeyValue<String, PaymentCommand> charge(String customerId, String orderId, long amountPence) {
        return KeyValue.pair(customerId, new PaymentCommand(customerId, new ChargePayment(orderId, amountPence)));
    }

    static KeyValue<String, PaymentSettlement> settle(String customerId, String orderId, long amountPence) {
        return KeyValue.pair(customerId, new PaymentSettlement(customerId, orderId, amountPence));
    }

    static KeyValue<String, PaymentCommand> refund(String customerId, String orderId) {
        return KeyValue.pair(customerId, new PaymentCommand(customerId, new RefundPayment(orderId)));
    }
}
