package io.ordersaga.saga;

import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.Store;
import io.ordersaga.common.TimeIndex;
import io.ordersaga.common.Topic;
import io.ordersaga.common.Topics;
import io.ordersaga.events.OrderSagaState;
import io.ordersaga.events.Product;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

import java.util.List;

/**
 * The order-saga-streams topology: the orchestrator of the order saga.
 *
 * <pre>
 *  order-requests ──┐ (key orderId, co-partitioned)
 *  inventory-replies┼─▶ SagaInput ─▶ order-saga [sagas, saga-deadlines; reads global catalog] ─┬─▶ inventory-commands (key productId)
 *  payment-replies ─┘                                                                           ├─▶ payment-commands (key customerId)
 *  products ─▶ global store catalog (productId -&gt; Product)                                      └─▶ order-events (key orderId)
 * </pre>
 *
 * <p>The three inputs are merged without repartitioning: they are keyed by orderId and co-partitioned
 * ({@link #CO_PARTITIONED}, checked at start by the application), so one task owns all of an order's inputs and
 * its saga, and exactly-once processing stands in for a lock. The state machine is {@link OrderSaga}; the
 * processor only reads and writes the stores and forwards what the saga emits.
 */
public final class OrderSagaTopology {

    /** Saga store: orderId to {@link OrderSagaState}. */
    public static final Store<OrderSagaState> SAGAS = Store.avro("sagas", OrderSagaState.class);

    /**
     * The terminal status (an {@code OrderStatus} name) of every order whose saga was deleted after retention: key
     * orderId; never deleted, so an orderId never gets a second saga.
     */
    public static final Store<String> ENDED_SAGAS = Store.strings("ended-sagas");

    /** {@link TimeIndex} of saga deadlines (timeouts, then retention) over {@link #SAGAS}' keys. */
    public static final Store<String> DEADLINES = TimeIndex.store("saga-deadlines");

    /** Global store of the catalog: productId to {@link Product}, from {@link Topics#PRODUCTS}. */
    public static final Store<Product> CATALOG = Store.avro("catalog", Product.class);

    /** The topics the saga reads together; they must be co-partitioned (same key, same partition count). */
    public static final List<Topic<?>> CO_PARTITIONED = List.of(Topics.ORDER_REQUESTS, Topics.INVENTORY_REPLIES, Topics.PAYMENT_REPLIES);

    private OrderSagaTopology() {
    }

    /**
     * Defines the topology on {@code builder}: the catalog global store, the saga and deadline stores, the
     * three sources mapped to {@link SagaInput} and merged into one processor, and the three sinks.
     *
     * @param serdes value serdes; {@link EventSerdes#unregistered()} in TopologyTestDriver tests
     */
    public static void define(StreamsBuilder builder, OrderSaga.Timings config, EventSerdes serdes) {
        builder.globalTable(Topics.PRODUCTS.name(), Topics.PRODUCTS.consumed(serdes), CATALOG.materialized(serdes));
        builder.addStateStore(SAGAS.builder(serdes));
        builder.addStateStore(ENDED_SAGAS.builder(serdes));
        builder.addStateStore(DEADLINES.builder(serdes));

        KStream<String, SagaInput> requests = Topics.ORDER_REQUESTS.stream(builder, serdes)
                .mapValues(SagaInput::of, Named.as("order-requests-to-saga-input"));
        KStream<String, SagaInput> inventoryReplies = Topics.INVENTORY_REPLIES.stream(builder, serdes)
                .mapValues(SagaInput::of, Named.as("inventory-replies-to-saga-input"));
        KStream<String, SagaInput> paymentReplies = Topics.PAYMENT_REPLIES.stream(builder, serdes)
                .mapValues(SagaInput::of, Named.as("payment-replies-to-saga-input"));

        KStream<String, SagaOutput> outputs = requests
                .merge(inventoryReplies, Named.as("merge-inventory-replies"))
                .merge(paymentReplies, Named.as("merge-payment-replies"))
                .process(() -> new OrderSagaProcessor(config), Named.as("order-saga"),
                        SAGAS.name(), ENDED_SAGAS.name(), DEADLINES.name());
        Topic.route(outputs, "saga-output-", SagaOutput.TOPICS, SagaOutput::topic, SagaOutput::value, serdes);
    }

    /** The topology on its own, for TopologyTestDriver and topology descriptions. */
    public static Topology build(OrderSaga.Timings config, EventSerdes serdes) {
        StreamsBuilder builder = new StreamsBuilder();
        define(builder, config, serdes);
        return builder.build();
    }
}
