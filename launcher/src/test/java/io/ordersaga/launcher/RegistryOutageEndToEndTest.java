package io.ordersaga.launcher;

import io.ordersaga.common.Topics;
import io.ordersaga.demo.client.OrderApi;
import io.ordersaga.demo.client.OrderApi.OrderView;
import io.ordersaga.demo.client.OrderStatuses;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A registry outage during a replay, on the real stack: the registry is stopped for {@value #OUTAGE_MS} ms, then
 * started again (same port, same data), while {@value #ORDERS} orders with Idempotency-Keys are posted through
 * order-api at {@value #ORDERS_PER_SECOND} a second from the start of the outage. payment-streams is restarted just
 * before it, so its serdes have read nothing yet and must reach the registry for the first command (as a service
 * that has just started or scaled out would; a serde that has read a schema id keeps it for its lifetime): it
 * fails, and its stream thread is replaced with back-off until the registry answers, its health meanwhile DEGRADED.
 * The other services have read every schema they need before the outage (a first order is placed and ended).
 *
 * <p>Then: orders placed after the outage are confirmed again (one is placed at a time until one is); no record
 * reached any application's dead-letter topic during the test; every accepted (202) order is terminal; and the books balance exactly: per product adjusted = available + reserved + sold, reserved = 0, and
 * sold = the units of its CONFIRMED orders; per customer credited = balance + charged - refunded, and charged -
 * refunded = the totals of their CONFIRMED orders. Orders that time out or get a 503 are acceptable outcomes.
 *
 * <p>Time budget: under 3 minutes on 2 shared cores (setup and the payment restart about 30 s, the replay about
 * {@value #ORDERS} / {@value #ORDERS_PER_SECOND} s with the outage inside it, recovery after the registry returns
 * at most one 30 s back-off plus a rebalance, then the saga's 8 s payment timeout); the deadlines below add up to it.
 */
@ExtendWith(RunningSystem.class)
class RegistryOutageEndToEndTest {

    private static final int ORDERS = 300;
    private static final int ORDERS_PER_SECOND = 4;
    private static final long OUTAGE_MS = 60_000;
    private static final int PRODUCTS = 8;
    private static final int CUSTOMERS = 16;
    private static final long STOCK = 40;
    private static final long CREDIT_PENCE = 20_000;
    private static final Duration SETTLED = Duration.ofSeconds(75);

    @Test
    void noCommandIsDeadLetteredEveryOrderEndsAndTheBooksBalance(RunningSystem system) throws Exception {
        long startNanos = System.nanoTime();
        OrderApi api = system.api();
        TestData data = system.data();
        Random random = new Random(11);
        List<String> products = new ArrayList<>();
        for (int i = 0; i < PRODUCTS; i++) {
            products.add(data.product(100 + random.nextInt(400), STOCK));
        }
        List<String> customers = new ArrayList<>();
        for (int i = 0; i < CUSTOMERS; i++) {
            customers.add(data.customer(CREDIT_PENCE));
        }
        String firstOrder = data.place(customers.getFirst(), products.getFirst(), 1);
        assertThat(data.awaitTerminal(firstOrder).status()).isEqualTo("CONFIRMED");
        Map<TopicPartition, Long> deadLettersBefore = deadLetterEnds(system);

        ServiceCluster.Instance payment = system.cluster().first(Service.PAYMENT);
        system.cluster().stop(payment);
        ServiceCluster.Instance coldPayment = system.cluster().start(Service.PAYMENT, payment.port(), Map.of());
        OrderApi paymentHealth = new OrderApi(URI.create(coldPayment.url()));

        system.stack().stopRegistry();
        long outageEndNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(OUTAGE_MS);
        String run = TestData.id("outage");
        Map<String, String> accepted = new ConcurrentHashMap<>();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger posted = new AtomicInteger();
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        pacer.scheduleAtFixedRate(() -> {
            int i = posted.getAndIncrement();
            if (i >= ORDERS) {
                return;
            }
            List<Map<String, Object>> lines = new ArrayList<>();
            Random lineRandom = new Random(i);
            for (int l = 1 + lineRandom.nextInt(2); l > 0; l--) {
                lines.add(Map.of("productId", products.get(lineRandom.nextInt(PRODUCTS)), "quantity", 1 + lineRandom.nextInt(3)));
            }
            Map<String, Object> body = Map.of("customerId", customers.get(lineRandom.nextInt(CUSTOMERS)), "lines", lines);
            clients.submit(() -> {
                try {
                    OrderApi.Response response = api.exchange("POST", "/orders", body, Map.of("Idempotency-Key", run + "-" + i));
                    if (response.status() == 202) {
                        accepted.put(run + "-" + i, response.body().path("orderId").asString());
                    } else {
                        refused.incrementAndGet();
                    }
                } catch (RuntimeException timedOut) {
                    refused.incrementAndGet();
                }
            });
        }, 0, 1_000 / ORDERS_PER_SECOND, TimeUnit.MILLISECONDS);

        AtomicBoolean degradedSeen = new AtomicBoolean();
        try {
            await("outage of " + OUTAGE_MS + " ms").atMost(Duration.ofMillis(OUTAGE_MS + 10_000))
                    .pollInterval(Duration.ofMillis(500)).until(() -> {
                        OrderApi.Response health = paymentHealth.get("/actuator/health");
                        if (health.body().path("status").asString().equals("DEGRADED")) {
                            assertThat(health.status()).as("a DEGRADED service answers its health with 503").isEqualTo(503);
                            degradedSeen.set(true);
                        }
                        return System.nanoTime() >= outageEndNanos;
                    });
        } finally {
            system.stack().startRegistry();
            paymentHealth.close();
        }
        long outageOverNanos = System.nanoTime();
        await("every order posted").atMost(Duration.ofSeconds(ORDERS / ORDERS_PER_SECOND + 30))
                .until(() -> posted.get() >= ORDERS);
        pacer.shutdown();
        clients.shutdown();
        assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

        AtomicInteger probes = new AtomicInteger();
        await("an order placed after the outage confirmed").atMost(SETTLED).pollInterval(Duration.ofSeconds(1)).until(() -> {
            String key = run + "-probe-" + probes.incrementAndGet();
            OrderApi.Response response = api.exchange("POST", "/orders",
                    TestData.orderBody(customers.getLast(), products.getLast(), 1), Map.of("Idempotency-Key", key));
            if (response.status() != 202) {
                return false;
            }
            accepted.put(key, response.body().path("orderId").asString());
            return terminalStatus(api, response.body().path("orderId").asString()).equals("CONFIRMED");
        });
        await("every accepted order terminal").atMost(SETTLED).pollInterval(Duration.ofMillis(500))
                .until(() -> accepted.values().stream().allMatch(orderId -> api.order(orderId, 0).map(OrderView::terminal).orElse(false)));
        await("the books balance").atMost(SETTLED).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .untilAsserted(() -> assertBooksBalance(api, products, customers));
        assertThat(deadLettersSince(system, deadLettersBefore)).as("records dead-lettered during the test").isZero();
        assertThat(degradedSeen).as("payment-streams' health is DEGRADED while it cannot read its commands").isTrue();

        Map<String, Integer> outcomes = new HashMap<>();
        for (String orderId : accepted.values()) {
            OrderView order = data.order(orderId);
            outcomes.merge(order.status() + "/" + Objects.requireNonNullElse(order.reason(), ""), 1, Integer::sum);
        }
        System.out.printf("Registry outage test: %d orders posted, then %d after it until one confirmed; %d accepted,"
                        + " %d refused or timed out; outcomes %s; settled %d s after the registry came back; %d s in all%n",
                posted.get(), probes.get(), accepted.size(), refused.get(), outcomes, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - outageOverNanos),
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos));
    }

    /**
     * Awaitility's await, not failing on exceptions of other threads: a stream thread that dies of the outage is
     * expected here, and replaced ({@code StreamThreadRecovery}).
     */
    private static ConditionFactory await(String what) {
        return Awaitility.await(what).dontCatchUncaughtExceptions();
    }

    private static String terminalStatus(OrderApi api, String orderId) {
        String[] status = {""};
        await("order " + orderId + " terminal").atMost(Duration.ofSeconds(60)).until(() -> {
            status[0] = api.order(orderId, 5_000).map(OrderView::status).orElse("");
            return OrderStatuses.TERMINAL.contains(status[0]);
        });
        return status[0];
    }

    private static void assertBooksBalance(OrderApi api, List<String> products, List<String> customers) {
        Map<String, Long> soldByProduct = new HashMap<>();
        for (String customerId : customers) {
            long confirmedPence = 0;
            for (OrderApi.OrderSummary summary : api.customerOrders(customerId)) {
                OrderView order = api.order(summary.orderId(), 0).orElseThrow();
                assertThat(order.terminal()).as("order %s", order).isTrue();
                if (order.status().equals("CONFIRMED")) {
                    confirmedPence += order.total();
                    order.lines().forEach(line -> soldByProduct.merge(line.productId(), (long) line.quantity(), Long::sum));
                }
            }
            OrderApi.Wallet wallet = api.wallet(customerId);
            assertThat(wallet.credited()).as("wallet %s", wallet).isEqualTo(CREDIT_PENCE)
                    .isEqualTo(wallet.balance() + wallet.charged() - wallet.refunded());
            assertThat(wallet.charged() - wallet.refunded()).as("wallet %s", wallet).isEqualTo(confirmedPence);
        }
        for (String productId : products) {
            OrderApi.Stock stock = api.stock(productId).orElseThrow();
            assertThat(stock.reserved()).as("stock %s", stock).isZero();
            assertThat(stock.adjusted()).as("stock %s", stock).isEqualTo(STOCK)
                    .isEqualTo(stock.available() + stock.reserved() + stock.sold());
            assertThat(stock.sold()).as("stock %s", stock).isEqualTo(soldByProduct.getOrDefault(productId, 0L));
        }
    }

    /** The read_committed end offset of every partition of every application's dead-letter topic. */
    private static Map<TopicPartition, Long> deadLetterEnds(RunningSystem system) {
        try (KafkaConsumer<byte[], byte[]> consumer = deadLetterConsumer(system)) {
            return consumer.endOffsets(deadLetterPartitions(consumer));
        }
    }

    /** Committed records in the dead-letter topics from {@code from} to their current ends. */
    private static long deadLettersSince(RunningSystem system, Map<TopicPartition, Long> from) {
        try (KafkaConsumer<byte[], byte[]> consumer = deadLetterConsumer(system)) {
            List<TopicPartition> partitions = deadLetterPartitions(consumer);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            consumer.assign(partitions);
            partitions.forEach(p -> consumer.seek(p, from.getOrDefault(p, 0L)));
            long[] records = {0};
            await("dead-letter topics read to their ends").atMost(Duration.ofSeconds(30))
                    .until(() -> {
                        records[0] += consumer.poll(Duration.ofMillis(200)).count();
                        return partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
                    });
            return records[0];
        }
    }

    private static List<TopicPartition> deadLetterPartitions(KafkaConsumer<byte[], byte[]> consumer) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (Service service : Service.values()) {
            if (service.isStreams()) {
                String topic = Topics.deadLetters(service.applicationName());
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
        }
        return partitions;
    }

    private static KafkaConsumer<byte[], byte[]> deadLetterConsumer(RunningSystem system) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, system.stack().bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
