package io.ordersaga.saga;

import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.TimeIndex;
import io.ordersaga.common.Topic;
import io.ordersaga.common.Topics;
import io.ordersaga.events.OrderSagaState;
import io.ordersaga.events.Product;
import io.ordersaga.saga.SagaOutput.Published;
import io.ordersaga.saga.SagaOutput.Settle;
import io.ordersaga.saga.SagaOutput.ToInventory;
import io.ordersaga.saga.SagaOutput.ToPayment;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

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

    /** Saga store: orderId to {@link OrderSagaState}; persistent, logged, cached. */
    public static final String SAGA_STORE = "sagas";

    /**
     * The terminal status (an {@code OrderStatus} name) of every order whose saga was deleted after retention: key
     * orderId; persistent, logged, cached; never deleted, so an orderId never gets a second saga.
     */
    public static final String ENDED_STORE = "ended-sagas";

    /** {@link TimeIndex} of saga deadlines (timeouts, then retention) over {@link #SAGA_STORE}'s keys. */
    public static final String DEADLINE_STORE = "saga-deadlines";

    /** Global store of the catalog: productId to {@link Product}, from {@link Topics#PRODUCTS}. */
    public static final String CATALOG_STORE = "catalog";

    /** The topics the saga reads together; they must be co-partitioned (same key, same partition count). */
    public static final List<Topic<?>> CO_PARTITIONED = List.of(Topics.ORDER_REQUESTS, Topics.INVENTORY_REPLIES, Topics.PAYMENT_REPLIES);

    private OrderSagaTopology() {
    }

    /**
     * The saga's timing.
     *
     * @param reservationTimeoutMs how long RESERVING may last before the saga cancels with TIMEOUT, ms (default 30000)
     * @param paymentTimeoutMs     how long PAYING may last before the saga cancels with TIMEOUT, ms (default 30000)
     * @param retentionMs          how long a terminal saga stays in the store (answering late and duplicate
     *                             inputs) before it is deleted, ms (default 86400000, one day)
     * @param punctuateIntervalMs  how often the wall-clock punctuator looks for passed deadlines, ms (default 1000);
     *                             a deadline is acted on up to this late
     */
    public record Config(long reservationTimeoutMs, long paymentTimeoutMs, long retentionMs, long punctuateIntervalMs) {

        /** @throws IllegalArgumentException when a duration is not positive */
        public Config {
            if (reservationTimeoutMs <= 0 || paymentTimeoutMs <= 0 || retentionMs <= 0 || punctuateIntervalMs <= 0) {
                throw new IllegalArgumentException("Saga durations must be > 0 ms: reservationTimeoutMs=" + reservationTimeoutMs
                        + ", paymentTimeoutMs=" + paymentTimeoutMs + ", retentionMs=" + retentionMs
                        + ", punctuateIntervalMs=" + punctuateIntervalMs);
            }
        }

        /** 30 s to reserve, 30 s to pay, one day of retention, a punctuation every second. */
        public static Config defaults() {
            return new Config(30_000, 30_000, 86_400_000, 1_000);
        }
    }

    /**
     * Defines the topology on {@code builder}: the catalog global store, the saga and deadline stores, the
     * three sources mapped to {@link SagaInput} and merged into one processor, and the three sinks.
     *
     * @param serdes value serdes; {@link EventSerdes#unregistered()} in TopologyTestDriver tests
     */
    public static void define(StreamsBuilder builder, Config config, EventSerdes serdes) {
        builder.globalTable(Topics.PRODUCTS.name(), Topics.PRODUCTS.consumed(serdes),
                Materialized.<String, Product, KeyValueStore<Bytes, byte[]>>as(CATALOG_STORE)
                        .withKeySerde(Topics.PRODUCTS.keySerde()).withValueSerde(Topics.PRODUCTS.valueSerde(serdes)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SAGA_STORE), Serdes.String(),
                serdes.forValue(OrderSagaState.class)).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ENDED_STORE), Serdes.String(),
                Serdes.String()).withCachingEnabled());
        builder.addStateStore(TimeIndex.storeBuilder(DEADLINE_STORE));

        KStream<String, SagaInput> requests = builder.stream(Topics.ORDER_REQUESTS.name(), Topics.ORDER_REQUESTS.consumed(serdes))
                .mapValues(SagaInput::of, Named.as("order-requests-to-saga-input"));
        KStream<String, SagaInput> inventoryReplies = builder.stream(Topics.INVENTORY_REPLIES.name(), Topics.INVENTORY_REPLIES.consumed(serdes))
                .mapValues(SagaInput::of, Named.as("inventory-replies-to-saga-input"));
        KStream<String, SagaInput> paymentReplies = builder.stream(Topics.PAYMENT_REPLIES.name(), Topics.PAYMENT_REPLIES.consumed(serdes))
                .mapValues(SagaInput::of, Named.as("payment-replies-to-saga-input"));

        KStream<String, SagaOutput> outputs = requests
                .merge(inventoryReplies, Named.as("merge-inventory-replies"))
                .merge(paymentReplies, Named.as("merge-payment-replies"))
                .process(() -> new OrderSagaProcessor(config), Named.as("order-saga"), SAGA_STORE, ENDED_STORE, DEADLINE_STORE);

        outputs.split(Named.as("saga-output-"))
                .branch((orderId, output) -> output instanceof ToInventory, Branched.withConsumer(commands -> commands
                        .mapValues(output -> ((ToInventory) output).command(), Named.as("inventory-command"))
                        .to(Topics.INVENTORY_COMMANDS.name(), Topics.INVENTORY_COMMANDS.produced(serdes)), "inventory"))
                .branch((orderId, output) -> output instanceof ToPayment, Branched.withConsumer(commands -> commands
                        .mapValues(output -> ((ToPayment) output).command(), Named.as("payment-command"))
                        .to(Topics.PAYMENT_COMMANDS.name(), Topics.PAYMENT_COMMANDS.produced(serdes)), "payment"))
                .branch((orderId, output) -> output instanceof Settle, Branched.withConsumer(settlements -> settlements
                        .mapValues(output -> ((Settle) output).settlement(), Named.as("payment-settlement"))
                        .to(Topics.PAYMENT_SETTLEMENTS.name(), Topics.PAYMENT_SETTLEMENTS.produced(serdes)), "settlements"))
                .branch((orderId, output) -> output instanceof Published, Branched.withConsumer(events -> events
                        .mapValues(output -> ((Published) output).event(), Named.as("order-event"))
                        .to(Topics.ORDER_EVENTS.name(), Topics.ORDER_EVENTS.produced(serdes)), "order-events"))
                .noDefaultBranch();
    }

    /** The topology on its own, for TopologyTestDriver and topology descriptions. */
    public static Topology build(Config config, EventSerdes serdes) {
        StreamsBuilder builder = new StreamsBuilder();
        define(builder, config, serdes);
        return builder.build();
    }
}
