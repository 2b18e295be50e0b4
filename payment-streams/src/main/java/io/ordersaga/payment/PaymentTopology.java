package io.ordersaga.payment;

import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.Retention;
import io.ordersaga.common.TimeIndex;
import io.ordersaga.common.Topics;
import io.ordersaga.events.Payment;
import io.ordersaga.events.Wallet;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.Stores;

/**
 * The payment-streams topology: {@link Topics#PAYMENT_COMMANDS} (key customerId) into one
 * {@link PaymentProcessor}, which owns every wallet of its partition, so balance changes need no lock.
 *
 * <p>State stores (persistent RocksDB, cached, logged to a compacted changelog):
 * <ul>
 *   <li>{@link #WALLETS_STORE}: key customerId, value {@link Wallet}; never deleted.</li>
 *   <li>{@link #PAYMENTS_STORE}: key orderId, value {@link Payment}, held by the task owning the order's
 *       customer; deleted {@link Retention#retentionMs()} after their last change.</li>
 *   <li>{@link #RETENTION_STORE}: a {@link TimeIndex} of payments, by when they are deleted.</li>
 * </ul>
 *
 * <p>Output: a {@link io.ordersaga.events.PaymentReply} to {@link Topics#PAYMENT_REPLIES} (key orderId) for every
 * ChargePayment.
 */
public final class PaymentTopology {

    /** Wallets: key customerId, value {@link Wallet}. Queried by {@link WalletController}. */
    public static final String WALLETS_STORE = "wallets";

    /** Payments: key orderId, value {@link Payment}. */
    public static final String PAYMENTS_STORE = "payments";

    /** Time index of payments, by deletion time (epoch ms). */
    public static final String RETENTION_STORE = "payment-retention";

    /** Name of the processor node that applies the commands. */
    public static final String PROCESSOR = "payment-processor";

    private PaymentTopology() {
    }

    /**
     * Adds the topology to {@code builder}: the three stores, the source, the processor and the sink.
     *
     * @param retention how long a payment is kept after its last change, so that duplicate commands within that
     *                  time stay idempotent (the saga never sends a command for an order later than that, so a
     *                  command arriving later is treated as new), and how often expired ones are deleted
     * @param serdes    the value serdes of topics and stores (registry in production, unregistered in tests)
     */
    public static void define(StreamsBuilder builder, Retention retention, EventSerdes serdes) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(WALLETS_STORE),
                Serdes.String(), serdes.forValue(Wallet.class)).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PAYMENTS_STORE),
                Serdes.String(), serdes.forValue(Payment.class)).withCachingEnabled());
        builder.addStateStore(TimeIndex.storeBuilder(RETENTION_STORE));

        builder.stream(Topics.PAYMENT_COMMANDS.name(), Topics.PAYMENT_COMMANDS.consumed(serdes))
                .process(() -> new PaymentProcessor(retention), Named.as(PROCESSOR), WALLETS_STORE, PAYMENTS_STORE, RETENTION_STORE)
                .to(Topics.PAYMENT_REPLIES.name(), Topics.PAYMENT_REPLIES.produced(serdes));
    }

    /** The topology on its own, as {@link #define} adds it to a fresh builder. */
    public static Topology build(Retention retention, EventSerdes serdes) {
        StreamsBuilder builder = new StreamsBuilder();
        define(builder, retention, serdes);
        return builder.build();
    }
}
