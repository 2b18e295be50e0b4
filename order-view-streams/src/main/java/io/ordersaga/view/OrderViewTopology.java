package io.ordersaga.view;

import io.ordersaga.common.orders.OrderChangeListener;
import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.Store;
import io.ordersaga.common.StreamsDefaults;
import io.ordersaga.common.Topics;
import io.ordersaga.events.CustomerOrders;
import io.ordersaga.events.OrderEvent;
import io.ordersaga.events.OrderStatus;
import io.ordersaga.events.OrderSummary;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

/**
 * The read model (CQRS query side) of orders, built from the saga's snapshots on {@link Topics#ORDER_EVENTS}.
 *
 * <ol>
 *   <li>{@link #ORDERS}, key orderId: a KTable of the order-events stream ({@code toTable}), so the order's
 *       latest record is its snapshot. That is the newest snapshot because the saga is the only writer of
 *       order-events and writes each order's snapshots in order, to the partition of its orderId. A record that does
 *       not deserialize is skipped (the service's deserialization exception handler) before it reaches the table,
 *       so the order keeps its last good snapshot. The store has a changelog of its own,
 *       {@code <application.id>-orders-changelog} (compacted), written by the store's serde: a restore (a new
 *       instance, a wiped state directory) reads only snapshots that deserialized. Reusing order-events as the
 *       changelog, as {@code builder.table} with {@code topology.optimization=all} would, saves that topic but
 *       restores order-events' raw bytes, poison records included, into the store: Kafka Streams 4.2.1 copies
 *       changelog records into a store without deserializing them, so the deserialization exception handler never
 *       sees them (KAFKA-8037). The table is not cached, so each update is forwarded at once, after the store was
 *       written.</li>
 *   <li>Each update wakes the {@link Config#onChange() listener} (in memory, for long polls; see
 *       {@link OrderChangeListener}). When the order has just been placed (PENDING, RESERVING: the saga's first
 *       snapshot of an order) or has ended (CONFIRMED, CANCELLED, REJECTED), its {@link OrderSummary} is re-keyed by
 *       customerId through the repartition topic {@code <application.id>-customer-orders-repartition}; an order
 *       being paid (PAYING) costs no record there, so <b>the per-customer listing is updated when an order is placed
 *       and when it ends</b>, and shows an order being paid as RESERVING.</li>
 *   <li>{@link #CUSTOMER_ORDERS}, key customerId: the customer's {@link CustomerOrders}, newest first by
 *       {@code createdAt} (ties: orderId ascending), at most {@link Config#maxOrdersPerCustomer()} of them. A
 *       summary's {@code updatedAt} is that of the snapshot it was listed from. A listed summary is replaced by its
 *       order's next one unless that one is less advanced (an in-flight status never replaces a terminal one),
 *       whatever the two updatedAt say: they are the wall clocks of possibly different saga hosts. Persistent
 *       (RocksDB), cached, logged to its compacted changelog {@code <application.id>-customer-orders-changelog}.</li>
 * </ol>
 *
 * <p>Records per order the saga takes RESERVING, PAYING, CONFIRMED (three order-events records): three in the
 * orders changelog (one per order-events record; compaction leaves one per order), two on the repartition topic,
 * and at most two in the customer-orders changelog (its cache keeps one when both summaries land in one commit
 * interval). Nothing is emitted to any other topic.
 */
public final class OrderViewTopology {

    /**
     * Store of the latest snapshot per order: key orderId, value {@link OrderEvent} (a timestamped KTable store),
     * logged to {@code <application.id>-orders-changelog}.
     */
    public static final Store<OrderEvent> ORDERS = Store.avro("orders", OrderEvent.class);

    /** Store of each customer's orders: key customerId, value {@link CustomerOrders}. */
    public static final Store<CustomerOrders> CUSTOMER_ORDERS = Store.avro("customer-orders", CustomerOrders.class);

    /** Default of {@link Config#maxOrdersPerCustomer()}. */
    public static final int DEFAULT_MAX_ORDERS_PER_CUSTOMER = 1000;

    /** Newest first by createdAt, then orderId ascending, so the order of equal createdAt is stable. */
    private static final Comparator<OrderSummary> NEWEST_FIRST = Comparator.comparing(OrderSummary::getCreatedAt)
            .reversed().thenComparing(OrderSummary::getOrderId);

    private OrderViewTopology() {
    }

    /**
     * How the read model is built.
     *
     * @param onChange             told the orderId after each update of {@link #ORDERS}, on the stream thread;
     *                             {@link OrderChangeListener#NONE} for none
     * @param maxOrdersPerCustomer how many of a customer's newest orders {@link #CUSTOMER_ORDERS} keeps, >= 1.
     *                             The whole list is one store value and one changelog record, rewritten whenever one
     *                             of the customer's orders is placed or ends, so it must stay well below the broker's
     *                             1 MB record limit (about 80 bytes per order)
     */
    public record Config(OrderChangeListener onChange, int maxOrdersPerCustomer) {

        /** @throws IllegalArgumentException when maxOrdersPerCustomer is below 1 */
        public Config {
            Objects.requireNonNull(onChange, "onChange");
            if (maxOrdersPerCustomer < 1) {
                throw new IllegalArgumentException("maxOrdersPerCustomer must be >= 1, was " + maxOrdersPerCustomer);
            }
        }

        /** No listener, {@link #DEFAULT_MAX_ORDERS_PER_CUSTOMER}. */
        public static Config defaults() {
            return new Config(OrderChangeListener.NONE, DEFAULT_MAX_ORDERS_PER_CUSTOMER);
        }
    }

    /**
     * Defines the read model on {@code builder}: the orders table over {@link Topics#ORDER_EVENTS} with its own
     * changelog, the listener, the repartition by customerId and the customer index. The services build it with
     * {@code topology.optimization=all} ({@code StreamsBuilder.build(Properties)}; Spring's StreamsBuilderFactoryBean
     * passes the service's Streams properties, which set it, and {@link #build} does the same); the orders table is
     * a stream materialized by {@code toTable}, which that optimization does not turn into a source-topic table, so
     * its store keeps a changelog of its own either way.
     */
    public static void define(StreamsBuilder builder, Config config, EventSerdes serdes) {
        builder.addStateStore(CUSTOMER_ORDERS.builder(serdes));
        // Not builder.table(order-events): with topology.optimization=all that table would take order-events itself
        // as its changelog, and Kafka Streams 4.2.1 restores a store from a changelog as raw bytes, without the
        // deserialization exception handler, so a poison record skipped in processing would land in the store on
        // restore. Through a stream, a poison record is skipped before the table, and the changelog holds only what
        // the store's serde wrote. (Listing the other optimizations in topology.optimization would do the same for
        // every service, and "all" would bring the reuse back; this does not depend on that setting.)
        // Not cached: a cached table forwards its updates only when the cache is flushed (at commit), which would
        // delay every long poll's wake-up by up to commit.interval.ms.
        Topics.ORDER_EVENTS.stream(builder, serdes)
                .toTable(Named.as("orders-table"), ORDERS.materialized(serdes).withCachingDisabled())
                .toStream(Named.as("orders-updates"))
                .process(() -> new OrderUpdatesProcessor(config.onChange()), Named.as("orders-updated"))
                .repartition(Repartitioned.with(Serdes.String(), serdes.forValue(OrderSummary.class))
                        .withName(CUSTOMER_ORDERS.name()))
                .process(() -> new CustomerOrdersProcessor(config.maxOrdersPerCustomer()),
                        Named.as("customer-orders-upsert"), CUSTOMER_ORDERS.name());
    }

    /**
     * The read model as a {@link Topology} of its own, optimized as the services run it
     * ({@code topology.optimization=all}, as {@link StreamsDefaults} sets). See {@link #define}.
     */
    public static Topology build(Config config, EventSerdes serdes) {
        StreamsBuilder builder = new StreamsBuilder();
        define(builder, config, serdes);
        Properties optimization = new Properties();
        optimization.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.OPTIMIZE);
        return builder.build(optimization);
    }

    /**
     * True when the customer index takes the order's summary from this snapshot: the order has just been placed or
     * has ended. PAYING is the one status in between; the saga writes each status once, so in practice this is the
     * first snapshot of an order and its last.
     */
    private static boolean listedFrom(OrderStatus status) {
        return switch (status) {
            case PENDING, RESERVING, CONFIRMED, CANCELLED, REJECTED -> true;
            case PAYING -> false;
        };
    }

    /**
     * Runs after each update of the orders table (the store already holds it): wakes the listener, then forwards
     * (customerId, summary) when the customer index takes it ({@link #listedFrom}). A tombstone (which the saga does
     * not write) has removed the order from the store: it wakes the listener and forwards nothing.
     */
    private static final class OrderUpdatesProcessor extends ContextualProcessor<String, OrderEvent, String, OrderSummary> {

        private final OrderChangeListener onChange;

        OrderUpdatesProcessor(OrderChangeListener onChange) {
            this.onChange = onChange;
        }

        @Override
        public void process(Record<String, OrderEvent> record) {
            onChange.orderChanged(record.key());
            OrderEvent order = record.value();
            if (order != null && listedFrom(order.getStatus())) {
                context().forward(record.withKey(order.getCustomerId()).withValue(new OrderSummary(order.getOrderId(),
                        order.getStatus(), order.getReason(), order.getTotal(), order.getCurrency(),
                        order.getCreatedAt(), order.getUpdatedAt())));
            }
        }
    }

    /**
     * How far a saga has got with an order: PENDING 0, RESERVING 1, PAYING 2, and 3 for the terminal CONFIRMED,
     * CANCELLED and REJECTED (states the saga never leaves). The customer index replaces a listed summary only by one
     * of the same or a higher rank, so a terminal summary is never replaced by an in-flight one. The rank, not the
     * summaries' {@code updatedAt}, decides because updatedAt is the wall clock of whichever saga instance wrote the
     * snapshot: after the order's task moves to a host whose clock is behind, a later status can carry an earlier
     * updatedAt.
     */
    private static int progress(OrderStatus status) {
        return switch (status) {
            case PENDING -> 0;
            case RESERVING -> 1;
            case PAYING -> 2;
            case CONFIRMED, CANCELLED, REJECTED -> 3;
        };
    }

    /**
     * Upserts a summary into its customer's list, newest first by createdAt, capped at {@code maxOrders}. A summary
     * of lower {@link #progress} than the one listed for its order is ignored (so is one that would fall off the end
     * of a full list); one of the same rank replaces it, being the later record of that order on the repartition
     * topic, which carries each order's summaries in the saga's order.
     */
    private static final class CustomerOrdersProcessor implements Processor<String, OrderSummary, Void, Void> {

        private final int maxOrders;
        private KeyValueStore<String, CustomerOrders> customers;

        CustomerOrdersProcessor(int maxOrders) {
            this.maxOrders = maxOrders;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            this.customers = CUSTOMER_ORDERS.in(context);
        }

        @Override
        public void process(Record<String, OrderSummary> record) {
            OrderSummary summary = record.value();
            if (record.key() == null || summary == null) {
                return;
            }
            CustomerOrders current = customers.get(record.key());
            List<OrderSummary> orders = new ArrayList<>(current == null ? 1 : current.getOrders().size() + 1);
            if (current != null) {
                for (OrderSummary listed : current.getOrders()) {
                    if (!listed.getOrderId().equals(summary.getOrderId())) {
                        orders.add(listed);
                    } else if (progress(listed.getStatus()) > progress(summary.getStatus())) {
                        return;
                    }
                }
            }
            int at = 0;
            while (at < orders.size() && NEWEST_FIRST.compare(orders.get(at), summary) < 0) {
                at++;
            }
            if (at >= maxOrders) {
                return;
            }
            orders.add(at, summary);
            if (orders.size() > maxOrders) {
                orders.removeLast();
            }
            customers.put(record.key(), new CustomerOrders(record.key(), orders));
        }
    }
}
