package io.ordersaga.payment;

import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.Retention;
import io.ordersaga.common.Store;
import io.ordersaga.common.TimeIndex;
import io.ordersaga.common.Topic;
import io.ordersaga.common.Topics;
import io.ordersaga.events.Payment;
import io.ordersaga.events.PaymentCommand;
import io.ordersaga.events.PaymentReply;
import io.ordersaga.events.Wallet;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

import java.util.List;

/**
 * The payment-streams topology: {@link Topics#PAYMENT_COMMANDS} and {@link Topics#PAYMENT_SETTLEMENTS} (both key
 * customerId, co-partitioned: {@link #CO_PARTITIONED}, checked at start) merged into one {@link PaymentProcessor},
 * which owns every wallet of its partition, so balance changes need no lock.
 *
 * <p>State stores (persistent RocksDB, cached, logged to a compacted changelog):
 * <ul>
 *   <li>{@link #WALLETS}: key customerId, value {@link Wallet}; never deleted.</li>
 *   <li>{@link #PAYMENTS}: key orderId, value {@link Payment}, held by the task owning the order's
 *       customer; an open payment (CHARGED, not settled) is kept until refunded or settled, a closed one is deleted
 *       after {@link Config#payments()} retention.</li>
 *   <li>{@link #RESERVATION_RETENTION}: a {@link TimeIndex} of closed payments, by when they are deleted.</li>
 *   <li>{@link #CREDITS}: key creditId, value when it was applied (epoch ms), kept for
 *       {@link Config#credits()}, so that a retried credit is applied once; and its index
 *       {@link #CREDIT_RETENTION}.</li>
 * </ul>
 *
 * <p>Output: a {@link io.ordersaga.events.PaymentReply} to {@link Topics#PAYMENT_REPLIES} (key orderId) for every
 * ChargePayment.
 */
public final class PaymentTopology {

    /** Wallets: key customerId, value {@link Wallet}. Queried by {@link WalletQueryController}. */
    public static final Store<Wallet> WALLETS = Store.avro("wallets", Wallet.class);

    /** Payments: key orderId, value {@link Payment}. */
    public static final Store<Payment> PAYMENTS = Store.avro("payments", Payment.class);

    /** Time index of closed payments, by deletion time (epoch ms). */
    public static final Store<String> PAYMENT_RETENTION = TimeIndex.store("payment-retention");

    /** CreditWallet ids applied: key creditId, value when, epoch ms. Deduplicates credits. */
    public static final Store<Long> CREDITS = Store.longs("wallet-credits");

    /** Time index of {@link #CREDITS}'s ids, by deletion time (epoch ms). */
    public static final Store<String> CREDIT_RETENTION = TimeIndex.store("wallet-credit-retention");

    /** Name of the processor node that applies the commands. */
    public static final String PROCESSOR = "payment-processor";

    /** The topics a payment task reads together; they must be co-partitioned (same key, same partition count). */
    public static final List<Topic<?>> CO_PARTITIONED = List.of(Topics.PAYMENT_COMMANDS, Topics.PAYMENT_SETTLEMENTS);

    private PaymentTopology() {
    }

    /**
     * How long payments remember what they did.
     *
     * @param payments how long a closed payment is kept after it closed, so that a repeated command for it stays
     *                 idempotent, and how often expired ones are deleted (default 24 h, scan every 1 s)
     * @param credits  the deduplication window of creditIds: a repeat within it is ignored, after it the id is new
     *                 again (default 7 days, scan every 1 s)
     */
    public record Config(Retention payments, Retention credits) {

        /** The default deduplication window of creditIds: seven days, in ms. */
        public static final long DEFAULT_CREDIT_DEDUP_MS = 7 * 86_400_000L;

        /** One day for closed payments, seven days for creditIds, scans every second. */
        public static Config defaults() {
            return new Config(new Retention(Retention.DEFAULT_RETENTION_MS, Retention.DEFAULT_SCAN_INTERVAL_MS),
                    new Retention(DEFAULT_CREDIT_DEDUP_MS, Retention.DEFAULT_SCAN_INTERVAL_MS));
        }
    }

    /**
     * Adds the topology to {@code builder}: the five stores, the two sources, the processor and the sink.
     *
     * @param config how long closed payments and applied creditIds are kept
     * @param serdes the value serdes of topics and stores (registry in production, unregistered in tests)
     */
    public static void define(StreamsBuilder builder, Config config, EventSerdes serdes) {
        for (Store<?> store : List.of(WALLETS, PAYMENTS, PAYMENT_RETENTION, CREDITS, CREDIT_RETENTION)) {
            builder.addStateStore(store.builder(serdes));
        }
        KStream<String, Object> commands = Topics.PAYMENT_COMMANDS.stream(builder, serdes)
                .mapValues(PaymentCommand::getCommand, Named.as("payment-command"));
        KStream<String, Object> settlements = Topics.PAYMENT_SETTLEMENTS.stream(builder, serdes)
                .mapValues(settlement -> (Object) settlement, Named.as("payment-settlement"));
        KStream<String, PaymentReply> replies = commands.merge(settlements, Named.as("merge-payment-settlements"))
                .process(() -> new PaymentProcessor(config), Named.as(PROCESSOR), WALLETS.name(), PAYMENTS.name(),
                        PAYMENT_RETENTION.name(), CREDITS.name(), CREDIT_RETENTION.name());
        Topics.PAYMENT_REPLIES.to(replies, reply -> reply, serdes);
    }

    /** The topology on its own, as {@link #define} adds it to a fresh builder. */
    public static Topology build(Config config, EventSerdes serdes) {
        StreamsBuilder builder = new StreamsBuilder();
        define(builder, config, serdes);
        return builder.build();
    }
}
