package io.ordersaga.view;

import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.Topics;
import io.ordersaga.events.CustomerOrders;
import io.ordersaga.events.OrderEvent;
import io.ordersaga.events.OrderSummary;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The read model (CQRS query side) of orders, built from the saga's snapshots on {@link Topics#ORDER_EVENTS}.
 *
 * <ol>
 *   <li>{@link #ORDERS_STORE}, key orderId (co-partitioned with order-events, so no repartition): the snapshot with
 *       the newest {@code updatedAt}. An older snapshot, or an exact duplicate, is ignored; a different snapshot with
 *       the same {@code updatedAt} ms is kept, because the saga writes one order's snapshots in order to one
 *       partition, so the later record is the later change. Each stored snapshot is reported to the
 *       {@link Config#onChange() listener}.</li>
 *   <li>When the order's summary changes (status, reason, total, currency or createdAt: in practice every status
 *       change, never a change of {@code updatedAt} alone) an {@link OrderSummary} is re-keyed by customerId through
 *       the repartition topic {@code <application.id>-customer-orders-repartition}; order-only updates cost no
 *       record there.</li>
 *   <li>{@link #CUSTOMER_ORDERS_STORE}, key customerId: the customer's {@link CustomerOrders}, newest first by
 *       {@code createdAt} (ties: orderId ascending), at most {@link Config#maxOrdersPerCustomer()} of them.
 *       The summary's {@code updatedAt} is the time of its latest summary change.</li>
 * </ol>
 *
 * <p>Both stores are persistent (RocksDB), logged and cached. Nothing is emitted to any other topic.
 */
public final class OrderViewTopology {

    /** Store of the latest snapshot per order: key orderId, value {@link OrderEvent}. */
    public static final String ORDERS_STORE = "orders";

    /** Store of each customer's orders: key customerId, value {@link CustomerOrders}. */
    public static final String CUSTOMER_ORDERS_STORE = "customer-orders";

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
     * @param onChange             told the orderId after each snapshot written to {@link #ORDERS_STORE}, on the
     *                             stream thread; {@link OrderChangeListener#NONE} for none
     * @param maxOrdersPerCustomer how many of a customer's newest orders {@link #CUSTOMER_ORDERS_STORE} keeps, >= 1.
     *                             The whole list is one store value and one changelog record, rewritten on every
     *                             status change of the customer's orders, so it must stay well below the broker's
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
     * Defines the read model on {@code builder}: the two stores, the source {@link Topics#ORDER_EVENTS}, and the
     * repartition by customerId.
     */
    public static void define(StreamsBuilder builder, Config config, EventSerdes serdes) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ORDERS_STORE),
                Serdes.String(), serdes.forValue(OrderEvent.class)).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CUSTOMER_ORDERS_STORE),
                Serdes.String(), serdes.forValue(CustomerOrders.class)).withCachingEnabled());
        builder.stream(Topics.ORDER_EVENTS.name(), Topics.ORDER_EVENTS.consumed(serdes))
                .process(() -> new OrdersProcessor(config.onChange()), Named.as("orders-upsert"), ORDERS_STORE)
                .repartition(Repartitioned.with(Serdes.String(), serdes.forValue(OrderSummary.class))
                        .withName(CUSTOMER_ORDERS_STORE))
                .process(() -> new CustomerOrdersProcessor(config.maxOrdersPerCustomer()),
                        Named.as("customer-orders-upsert"), CUSTOMER_ORDERS_STORE);
    }

    /** The read model as a {@link Topology} of its own; see {@link #define}. */
    public static Topology build(Config config, EventSerdes serdes) {
        StreamsBuilder builder = new StreamsBuilder();
        define(builder, config, serdes);
        return builder.build();
    }

    /**
     * Keeps the newest snapshot per orderId and forwards (customerId, summary) when the summary changed.
     * Null keys or values (tombstones, which the saga does not write) are dropped.
     */
    private static final class OrdersProcessor implements Processor<String, OrderEvent, String, OrderSummary> {

        private final OrderChangeListener onChange;
        private ProcessorContext<String, OrderSummary> context;
        private KeyValueStore<String, OrderEvent> orders;

        OrdersProcessor(OrderChangeListener onChange) {
            this.onChange = onChange;
        }

        @Override
        public void init(ProcessorContext<String, OrderSummary> context) {
            this.context = context;
            this.orders = context.getStateStore(ORDERS_STORE);
        }

        @Override
        public void process(Record<String, OrderEvent> record) {
            OrderEvent snapshot = record.value();
            if (record.key() == null || snapshot == null) {
                return;
            }
            OrderEvent stored = orders.get(record.key());
            if (stored != null && (snapshot.getUpdatedAt().isBefore(stored.getUpdatedAt())
                    || snapshot.getUpdatedAt().equals(stored.getUpdatedAt()) && snapshot.equals(stored))) {
                return;
            }
            orders.put(record.key(), snapshot);
            onChange.orderChanged(record.key());
            if (stored == null || summaryChanged(stored, snapshot)) {
                context.forward(record.withKey(snapshot.getCustomerId()).withValue(summary(snapshot)));
            }
        }

        private static boolean summaryChanged(OrderEvent before, OrderEvent after) {
            return before.getStatus() != after.getStatus() || before.getReason() != after.getReason()
                    || before.getTotal() != after.getTotal() || !before.getCurrency().equals(after.getCurrency())
                    || !before.getCreatedAt().equals(after.getCreatedAt());
        }

        private static OrderSummary summary(OrderEvent order) {
            return new OrderSummary(order.getOrderId(), order.getStatus(), order.getReason(), order.getTotal(),
                    order.getCurrency(), order.getCreatedAt(), order.getUpdatedAt());
        }
    }

    /**
     * Upserts a summary into its customer's list, newest first, capped at {@code maxOrders}. A summary older
     * (by updatedAt) than the listed one is ignored, and so is one that would fall off the end of a full list.
     */
    private static final class CustomerOrdersProcessor implements Processor<String, OrderSummary, Void, Void> {

        private final int maxOrders;
        private KeyValueStore<String, CustomerOrders> customers;

        CustomerOrdersProcessor(int maxOrders) {
            this.maxOrders = maxOrders;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            this.customers = context.getStateStore(CUSTOMER_ORDERS_STORE);
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
                    } else if (listed.getUpdatedAt().isAfter(summary.getUpdatedAt())) {
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
