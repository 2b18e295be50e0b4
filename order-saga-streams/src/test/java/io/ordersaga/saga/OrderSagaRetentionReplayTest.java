package io.ordersaga.saga;

import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.testing.RetainedKeys;
import io.ordersaga.common.testing.StreamsTestSupport;
import io.ordersaga.common.testing.TickedReplay;
import io.ordersaga.common.testing.TopologyHarness;
import io.ordersaga.events.CancelOrder;
import io.ordersaga.events.ChargePayment;
import io.ordersaga.events.CommitStock;
import io.ordersaga.events.DeclineReason;
import io.ordersaga.events.InventoryReply;
import io.ordersaga.events.OrderEvent;
import io.ordersaga.events.OrderReason;
import io.ordersaga.events.OrderRequest;
import io.ordersaga.events.OrderStatus;
import io.ordersaga.events.PaymentCharged;
import io.ordersaga.events.PaymentDeclined;
import io.ordersaga.events.PaymentReply;
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
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention over a long replay: {@value #ORDERS} orders placed at {@value #ORDERS_PER_SECOND} a second of wall clock
 * (40 minutes of simulated time, 40 retention windows) against a catalog, answered by small in-test stand-ins for
 * inventory and payment that read the saga's commands and reply after 1-3 s (a few replies late or lost), so orders
 * end CONFIRMED, CANCELLED (out of stock, declined, timeout, customer) or REJECTED (unknown product).
 *
 * <p>With a {@value #RETENTION_MS} ms retention and a {@value #TIMEOUT_MS} ms timeout, a saga lives at most
 * timeout + retention, so the saga store never holds more than the orders of that window ({@link #BOUND}) while the
 * orders replayed keep growing. Every {@value #SAMPLE_EVERY_ORDERS} orders the test checks that the store holds
 * exactly the in-flight sagas and the terminal ones still within retention (none deleted early or late), that the
 * deadline index has one entry per saga, and that the changelog got one tombstone per deleted saga. Order events are
 * never tombstoned: the read model keeps every order.
 *
 * <p>The size of the replay is set by TopologyTestDriver's cost: it commits after every record, flushing RocksDB each
 * time, about 3 ms per order on a 2-core machine even on tmpfs, so a replay of a few thousand orders keeps the
 * test near 10 s (15 s busy). A lower rate buys more retention windows for the same cost than more orders would.
 */
class OrderSagaRetentionReplayTest extends TickedReplay {

    private static final int ORDERS = 2_400;
    private static final int ORDERS_PER_SECOND = 1;
    private static final int SAMPLE_EVERY_ORDERS = 100;
    private static final long TICK_MS = 1_000;
    private static final long TIMEOUT_MS = 10_000;
    private static final long RETENTION_MS = 60_000;
    private static final long PUNCTUATE_INTERVAL_MS = 1_000;
    /** A lost stock reply that does come, after the saga timed out (and before its retention ends): ticks after the command. */
    private static final int LATE_REPLY_TICKS = 15;
    /** Ticks with no new order after the load, long enough for every saga to time out and leave the store. */
    private static final long QUIET_TICKS = (TIMEOUT_MS + RETENTION_MS) / TICK_MS + LATE_REPLY_TICKS;
    /** Most sagas the store may hold: orders of the last timeout + retention, plus a punctuation of lateness each. */
    private static final long BOUND = ORDERS_PER_SECOND * (TIMEOUT_MS + RETENTION_MS + 2 * PUNCTUATE_INTERVAL_MS) / TICK_MS;
    private static final String APPLICATION_ID = "order-saga-streams";
    private static final Instant START = Instant.parse("2026-03-02T08:00:00Z");
    private static final int PRODUCTS = 30;
    private static final int CUSTOMERS = 500;

    /** How an order ends, decided when it is placed; the stand-ins answer its commands accordingly. */
    private enum Fate {
        CONFIRMED(OrderStatus.CONFIRMED, null),
        OUT_OF_STOCK(OrderStatus.CANCELLED, OrderReason.OUT_OF_STOCK),
        DECLINED(OrderStatus.CANCELLED, OrderReason.PAYMENT_DECLINED),
        STOCK_REPLY_LATE(OrderStatus.CANCELLED, OrderReason.TIMEOUT),
        PAYMENT_REPLY_LOST(OrderStatus.CANCELLED, OrderReason.TIMEOUT),
        CUSTOMER_CANCELLED(OrderStatus.CANCELLED, OrderReason.CUSTOMER_CANCELLED),
        UNKNOWN_PRODUCT(OrderStatus.REJECTED, OrderReason.UNKNOWN_PRODUCT);

        final OrderStatus status;
        final OrderReason reason;

        Fate(OrderStatus status, OrderReason reason) {
            this.status = status;
            this.reason = reason;
        }

        static Fate draw(Random random) {
            int roll = random.nextInt(100);
            return roll < 2 ? UNKNOWN_PRODUCT : roll < 10 ? OUT_OF_STOCK : roll < 20 ? DECLINED
                    : roll < 22 ? STOCK_REPLY_LATE : roll < 24 ? PAYMENT_REPLY_LOST : roll < 26 ? CUSTOMER_CANCELLED : CONFIRMED;
        }
    }

    /** An order placed and not yet terminal: its fate, the product whose stock reply is special, its total in pence. */
    private record InFlight(Fate fate, String firstProductId, long totalPence) {
    }

    private final EventSerdes serdes = EventSerdes.unregistered();
    private final Map<String, Long> prices = new HashMap<>();
    private TopologyHarness harness;
    private SagaTopics topics;
    private TestOutputTopic<String, byte[]> sagaChangelog;
    private TestOutputTopic<String, byte[]> deadlineChangelog;

    private final Map<String, InFlight> inFlight = new HashMap<>();
    /** Terminal sagas still within retention. */
    private final RetainedKeys retained = new RetainedKeys();
    private final Map<Fate, Integer> endings = new EnumMap<>(Fate.class);
    private final Map<String, Integer> commandsSeen = new TreeMap<>();
    private long sagaTombstones;
    private long deadlineTombstones;
    private long maxSagas;
    private long maxDeadlines;

    OrderSagaRetentionReplayTest() {
        super(START, TICK_MS);
    }

    @Test
    void sagaStoreStaysBoundedAndShrinksByTombstonesOverALongReplay() {
        long started = System.nanoTime();
        Samples samples = run(ORDERS, ORDERS_PER_SECOND, SAMPLE_EVERY_ORDERS, QUIET_TICKS);
        long[] atEndOfLoad = samples.atEndOfLoad();
        long[] afterQuiet = samples.afterQuiet();
        assertThat(ORDERS).as("orders replayed, far more than the store ever held").isGreaterThan(10 * (int) maxSagas);

        assertThat(nothingDue()).as("every reply sent").isTrue();
        assertThat(inFlight).as("orders with no terminal event").isEmpty();
        assertThat(afterQuiet).as("sagas and deadline entries after timeout + retention with no new order").containsExactly(0, 0);
        assertThat(sagaTombstones).as("one saga changelog tombstone per order").isEqualTo(ORDERS);
        assertThat(deadlineTombstones).as("deadline index changelog tombstones").isGreaterThanOrEqualTo(ORDERS);
        assertThat(endings.keySet()).as("every kind of ending happened").containsExactlyInAnyOrder(Fate.values());
        System.out.printf("saga retention replay: %d orders over %d s simulated (retention %d s, timeout %d s), max sagas %d "
                        + "(bound %d), max deadline entries %d, at end of load sagas=%d deadlines=%d, after a quiet %d s "
                        + "sagas=%d deadlines=%d, changelog tombstones sagas=%d saga-deadlines=%d, endings %s, commands %s, %.1f s%n",
                ORDERS, ticks(), RETENTION_MS / 1000, TIMEOUT_MS / 1000, maxSagas, BOUND, maxDeadlines, atEndOfLoad[0], atEndOfLoad[1],
                QUIET_TICKS, afterQuiet[0], afterQuiet[1], sagaTombstones, deadlineTombstones, endings, commandsSeen,
                (System.nanoTime() - started) / 1e9);
    }

    @Override
    protected TopologyHarness start() {
        OrderSaga.Timings config = new OrderSaga.Timings(TIMEOUT_MS, TIMEOUT_MS, RETENTION_MS, PUNCTUATE_INTERVAL_MS);
        harness = new TopologyHarness(APPLICATION_ID, OrderSagaTopology.build(config, serdes), stateDir, START);
        topics = SagaTopics.of(harness);
        sagaChangelog = harness.changelog(OrderSagaTopology.SAGAS);
        deadlineChangelog = harness.changelog(OrderSagaTopology.DEADLINES);
        for (int p = 0; p < PRODUCTS; p++) {
            String productId = String.format("P%02d", p);
            long unitPrice = 100 + 97L * p;
            prices.put(productId, unitPrice);
            topics.products().pipeInput(productId, new Product(productId, "Product " + p, unitPrice, START), START);
        }
        return harness;
    }

    /** Places one order of 1-3 lines for a random customer; a customer-cancelled order is cancelled a tick later. */
    @Override
    protected void place(int index) {
        String orderId = String.format("o%05d", index);
        Fate fate = Fate.draw(random);
        List<RequestedLine> lines = new ArrayList<>();
        long total = 0;
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            String productId = String.format("P%02d", random.nextInt(PRODUCTS));
            int quantity = 1 + random.nextInt(3);
            lines.add(new RequestedLine(productId, quantity));
            total += quantity * prices.get(productId);
        }
        if (fate == Fate.UNKNOWN_PRODUCT) {
            lines.add(new RequestedLine("X" + orderId, 1));
        }
        inFlight.put(orderId, new InFlight(fate, lines.getFirst().getProductId(), total));
        String customerId = "c" + random.nextInt(CUSTOMERS);
        request(orderId, new PlaceOrder(customerId, null, lines));
        if (fate == Fate.CUSTOMER_CANCELLED) {
            later(1, () -> request(orderId, CancelOrder.newBuilder().build()));
        }
    }

    /** Sends {@code request} (a PlaceOrder or a CancelOrder) for {@code orderId} now. */
    private void request(String orderId, Object request) {
        topics.requests().pipeInput(orderId, new OrderRequest(orderId, now(), request), now());
    }

    /** The stand-ins answer the commands sent since the last tick, before the replies due now are sent. */
    @Override
    protected void beforeDue() {
        answerCommands();
    }

    /** The stand-ins answer the commands the replies due now caused, before the clock moves. */
    @Override
    protected void afterDue() {
        answerCommands();
    }

    /** The order events of the tick (the punctuator's timeouts included), checked against each order's fate. */
    @Override
    protected void afterClock() {
        readOrderEvents();
    }

    /** Inventory and payment as the fates want them, each command counted: the commands sent since the last read. */
    private void answerCommands() {
        topics.inventoryCommands().readKeyValuesToList().forEach(command -> answer(command.key, command.value.getCommand()));
        topics.paymentCommands().readKeyValuesToList().forEach(command -> answer(command.key, command.value.getCommand()));
    }

    /** Answers a reserve (key productId) or a charge (key customerId); compensations and commits are only counted. */
    private void answer(String key, Object command) {
        commandsSeen.merge(command.getClass().getSimpleName(), 1, Integer::sum);
        switch (command) {
            case ReserveStock reserve -> answerReserve(key, reserve);
            case ChargePayment charge -> answerCharge(key, charge);
            default -> assertThat(command).as("what the saga sends besides reserves and charges")
                    .isInstanceOfAny(CommitStock.class, ReleaseStock.class, RefundPayment.class);
        }
    }

    private void answerReserve(String productId, ReserveStock reserve) {
        String orderId = reserve.getOrderId();
        InFlight order = inFlight.get(orderId);
        assertThat(order).as("ReserveStock only for an order in flight: " + orderId).isNotNull();
        boolean special = productId.equals(order.firstProductId());
        InventoryReply reserved = new InventoryReply(orderId, productId, new StockReserved(reserve.getQuantity()));
        switch (order.fate()) {
            case OUT_OF_STOCK -> {
                InventoryReply reply = special ? new InventoryReply(orderId, productId,
                        new StockRejected(reserve.getQuantity(), 0L, StockRejectReason.OUT_OF_STOCK)) : reserved;
                replyLater(1 + random.nextInt(2), reply);
            }
            case STOCK_REPLY_LATE -> replyLater(special ? LATE_REPLY_TICKS : 1, reserved);
            case CUSTOMER_CANCELLED -> replyLater(3, reserved);
            default -> replyLater(1 + random.nextInt(2), reserved);
        }
    }

    private void answerCharge(String customerId, ChargePayment charge) {
        String orderId = charge.getOrderId();
        InFlight order = inFlight.get(orderId);
        assertThat(order).as("ChargePayment only for an order in flight: " + orderId).isNotNull();
        assertThat(charge.getAmount()).as("charge of " + orderId + ", in pence").isEqualTo(order.totalPence());
        Object outcome = switch (order.fate()) {
            case DECLINED -> new PaymentDeclined(charge.getAmount(), charge.getAmount() - 1, DeclineReason.INSUFFICIENT_FUNDS);
            case PAYMENT_REPLY_LOST -> null;
            default -> new PaymentCharged(charge.getAmount());
        };
        if (outcome != null) {
            PaymentReply reply = new PaymentReply(orderId, customerId, outcome);
            replyLater(1 + random.nextInt(2), reply);
        }
    }

    /** Sends inventory's {@code reply} {@code ticks} ticks from now. */
    private void replyLater(int ticks, InventoryReply reply) {
        later(ticks, () -> topics.inventoryReplies().pipeInput(reply.getOrderId(), reply, now()));
    }

    /** Sends payment's {@code reply} {@code ticks} ticks from now. */
    private void replyLater(int ticks, PaymentReply reply) {
        later(ticks, () -> topics.paymentReplies().pipeInput(reply.getOrderId(), reply, now()));
    }

    /** Each order gets exactly one terminal event, the one its fate says; no order event is a tombstone. */
    private void readOrderEvents() {
        for (KeyValue<String, OrderEvent> event : topics.orderEvents().readKeyValuesToList()) {
            assertThat(event.value).as("order event of " + event.key + " (the read model keeps orders)").isNotNull();
            OrderStatus status = event.value.getStatus();
            if (status == OrderStatus.RESERVING || status == OrderStatus.PAYING) {
                assertThat(inFlight).as("in-flight event for an order in flight").containsKey(event.key);
                continue;
            }
            InFlight order = inFlight.remove(event.key);
            assertThat(order).as("one terminal event per order: " + event.key).isNotNull();
            assertThat(event.value.getStatus()).as("status of " + event.key).isEqualTo(order.fate().status);
            assertThat(event.value.getReason()).as("reason of " + event.key).isEqualTo(order.fate().reason);
            retained.add(event.key, event.value.getUpdatedAt().toEpochMilli() + RETENTION_MS);
            endings.merge(order.fate(), 1, Integer::sum);
        }
    }

    /**
     * Checks the stores against what the test expects and returns {sagas, deadline entries}: exactly the in-flight
     * sagas (in flight) and the terminal ones within retention (terminal) are stored, within {@link #BOUND}, one
     * deadline entry each, and the changelog has one tombstone per saga deleted so far.
     */
    @Override
    protected long[] sample() {
        List<String> terminalWithinRetention = retained.at(nowMs());
        Map<String, OrderStatus> stored = new HashMap<>();
        harness.contents(OrderSagaTopology.SAGAS).forEach((orderId, saga) -> stored.put(orderId, saga.getOrder().getStatus()));
        long deadlines = harness.contents(OrderSagaTopology.DEADLINES).size();
        sagaTombstones += StreamsTestSupport.tombstones(sagaChangelog);
        deadlineTombstones += StreamsTestSupport.tombstones(deadlineChangelog);
        maxSagas = Math.max(maxSagas, stored.size());
        maxDeadlines = Math.max(maxDeadlines, deadlines);

        assertThat((long) stored.size()).as("sagas stored after %d orders", placed()).isLessThanOrEqualTo(BOUND);
        assertThat(deadlines).as("one deadline entry per saga").isEqualTo(stored.size());
        inFlight.keySet().forEach(orderId -> assertThat(stored.get(orderId)).as("in-flight saga " + orderId + " kept")
                .isIn(OrderStatus.RESERVING, OrderStatus.PAYING));
        terminalWithinRetention.forEach(orderId -> assertThat(stored.get(orderId)).as("terminal saga " + orderId + " kept within retention")
                .isIn(OrderStatus.CONFIRMED, OrderStatus.CANCELLED, OrderStatus.REJECTED));
        assertThat(stored).as("no saga kept past its retention").hasSize(inFlight.size() + terminalWithinRetention.size());
        assertThat(sagaTombstones).as("saga changelog tombstones: one per saga deleted").isEqualTo(placed() - stored.size());
        return new long[] {stored.size(), deadlines};
    }
}
