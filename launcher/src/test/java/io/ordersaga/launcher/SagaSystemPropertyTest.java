package io.ordersaga.launcher;

import io.ordersaga.common.Retention;
import io.ordersaga.common.Topics;
import io.ordersaga.demo.client.OrderStatuses;
import io.ordersaga.events.AdjustStock;
import io.ordersaga.events.CancelOrder;
import io.ordersaga.events.CreditWallet;
import io.ordersaga.events.InventoryCommand;
import io.ordersaga.events.OrderEvent;
import io.ordersaga.events.OrderLine;
import io.ordersaga.events.OrderRequest;
import io.ordersaga.events.OrderStatus;
import io.ordersaga.events.PaymentCommand;
import io.ordersaga.events.PlaceOrder;
import io.ordersaga.events.Product;
import io.ordersaga.events.RequestedLine;
import io.ordersaga.events.StockLevel;
import io.ordersaga.events.Wallet;
import io.ordersaga.inventory.InventoryTopology;
import io.ordersaga.payment.PaymentTopology;
import io.ordersaga.saga.OrderSaga;
import io.ordersaga.saga.OrderSagaTopology;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The saga's integrity over the three REAL topologies (saga, inventory, payment) together, each in its own
 * TopologyTestDriver with production settings ({@link SagaSystem}): random orders, random interleavings of every
 * record between them, duplicates, outages of any service for up to past every retention, cancels, timeouts,
 * retention expiry, and the same order placed again (a client re-POSTing its Idempotency-Key) at any time,
 * including long after the first saga ended and was purged.
 *
 * <p>After the schedule every service comes back and time passes until everything is quiet. Then the books must
 * hold exactly: per product adjusted = available + reserved + sold, nothing left reserved, and sold = the quantities of
 * the CONFIRMED orders; per customer credited = balance + charged - refunded and charged - refunded = the totals of
 * the CONFIRMED orders; every placed order has exactly one terminal event, its last.
 *
 * <p>Timing is scaled down (30 s timeouts, 10 min retention) so that outages and re-POSTs can outlast them.
 * Budget: 500 tries in under 60 s on the 2-core reference machine.
 */
class SagaSystemPropertyTest {

    private static final long RETENTION_MS = Duration.ofMinutes(10).toMillis();
    private static final OrderSaga.Timings SAGA = new OrderSaga.Timings(30_000, 30_000, RETENTION_MS, 1_000);
    private static final Retention RETENTION = new Retention(RETENTION_MS, 1_000);
    private static final List<String> APPLICATIONS = List.of("order-saga-streams", "inventory-streams", "payment-streams");

    @Property(tries = 500, shrinking = ShrinkingMode.BOUNDED)
    void noScheduleLosesOrInventsStockOrMoney(@ForAll("worlds") World world, @ForAll("schedules") List<Action> schedule)
            throws IOException {
        Path state = Files.createTempDirectory(Files.isWritable(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir")), "saga-system-");
        try (SagaSystem system = new SagaSystem(topologies(), state)) {
            world.setUp(system);
            for (Action action : schedule) {
                action.apply(system, world);
            }
            settle(system);
            assertBooksBalance(system, world);
        } finally {
            try (Stream<Path> files = Files.walk(state)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Map<String, org.apache.kafka.streams.Topology> topologies() {
        var serdes = io.ordersaga.common.EventSerdes.unregistered();
        Map<String, org.apache.kafka.streams.Topology> topologies = new LinkedHashMap<>();
        topologies.put(APPLICATIONS.get(0), OrderSagaTopology.build(SAGA, serdes));
        topologies.put(APPLICATIONS.get(1), InventoryTopology.build(new InventoryTopology.Config(RETENTION, RETENTION), serdes));
        topologies.put(APPLICATIONS.get(2), PaymentTopology.build(new PaymentTopology.Config(RETENTION, RETENTION), serdes));
        return topologies;
    }

    /** Every service up, every record delivered, time moved past every timeout, until nothing is in flight. */
    private static void settle(SagaSystem system) {
        APPLICATIONS.forEach(id -> {
            if (!system.application(id).isUp()) {
                system.application(id).up();
            }
        });
        for (int round = 0; round < 20; round++) {
            while (!system.deliverable().isEmpty()) {
                system.deliver(system.deliverable().getFirst(), false);
            }
            system.advance(Duration.ofSeconds(31));
            if (system.quiet() && inFlightSagas(system) == 0) {
                return;
            }
        }
        throw new AssertionError("the system did not settle: " + inFlightSagas(system) + " sagas in flight");
    }

    private static long inFlightSagas(SagaSystem system) {
        KeyValueStore<String, io.ordersaga.events.OrderSagaState> sagas =
                system.application(APPLICATIONS.get(0)).store(OrderSagaTopology.SAGAS);
        long inFlight = 0;
        try (KeyValueIterator<String, io.ordersaga.events.OrderSagaState> it = sagas.all()) {
            while (it.hasNext()) {
                if (!terminal(it.next().value.getOrder().getStatus())) {
                    inFlight++;
                }
            }
        }
        return inFlight;
    }

    private static boolean terminal(OrderStatus status) {
        return OrderStatuses.TERMINAL.contains(status.name());
    }

    private static void assertBooksBalance(SagaSystem system, World world) {
        Map<String, List<OrderEvent>> byOrder = new LinkedHashMap<>();
        system.orderEvents().forEach(e -> byOrder.computeIfAbsent(e.getOrderId(), k -> new ArrayList<>()).add(e));
        Map<String, Long> soldByProduct = new HashMap<>();
        Map<String, Long> paidByCustomer = new HashMap<>();
        for (String orderId : world.placed) {
            List<OrderEvent> events = byOrder.getOrDefault(orderId, List.of());
            List<OrderStatus> statuses = events.stream().map(OrderEvent::getStatus).toList();
            assertThat(statuses.stream().filter(SagaSystemPropertyTest::terminal).count())
                    .as("terminal events of order %s: %s", orderId, statuses).isEqualTo(1);
            assertThat(OrderStatuses.TERMINAL).as("last event of order %s: %s", orderId, statuses).contains(statuses.getLast().name());
            OrderEvent last = events.getLast();
            if (last.getStatus() == OrderStatus.CONFIRMED) {
                for (OrderLine line : last.getLines()) {
                    soldByProduct.merge(line.getProductId(), (long) line.getQuantity(), Long::sum);
                }
                paidByCustomer.merge(last.getCustomerId(), last.getTotal(), Long::sum);
            }
        }
        KeyValueStore<String, StockLevel> stock = system.application(APPLICATIONS.get(1)).store(InventoryTopology.STOCK);
        for (String productId : world.products.keySet()) {
            StockLevel level = Objects.requireNonNullElseGet(stock.get(productId), () -> new StockLevel(productId, 0L, 0L, 0L, 0L));
            assertThat(level.getAdjusted()).as("adjusted of %s", productId)
                    .isEqualTo(level.getAvailable() + level.getReserved() + level.getSold());
            assertThat(level.getReserved()).as("units of %s still reserved", productId).isZero();
            assertThat(level.getSold()).as("units of %s sold vs confirmed", productId)
                    .isEqualTo(soldByProduct.getOrDefault(productId, 0L));
        }
        KeyValueStore<String, Wallet> wallets = system.application(APPLICATIONS.get(2)).store(PaymentTopology.WALLETS);
        for (String customerId : world.customers.keySet()) {
            Wallet wallet = Objects.requireNonNullElseGet(wallets.get(customerId), () -> new Wallet(customerId, 0L, 0L, 0L, 0L));
            assertThat(wallet.getCredited()).as("credited of %s", customerId)
                    .isEqualTo(wallet.getBalance() + wallet.getCharged() - wallet.getRefunded());
            assertThat(wallet.getCharged() - wallet.getRefunded()).as("net charges of %s vs confirmed totals", customerId)
                    .isEqualTo(paidByCustomer.getOrDefault(customerId, 0L));
        }
    }

    /**
     * The catalog, stock, wallets and orders of one try.
     *
     * @param products  productId to (unit price in pence, units stocked)
     * @param customers customerId to pence credited
     * @param orders    the orders that may be placed: orderId to (customerId, productId to quantity)
     */
    record World(Map<String, long[]> products, Map<String, Long> customers, Map<String, OrderSpec> orders, List<String> placed) {

        void setUp(SagaSystem system) {
            products.forEach((id, priceAndStock) -> {
                system.send(Topics.PRODUCTS, id, new Product(id, "product " + id, priceAndStock[0], SagaSystem.START));
                if (priceAndStock[1] > 0) {
                    system.send(Topics.INVENTORY_COMMANDS, id,
                            new InventoryCommand(id, new AdjustStock("restock-" + id, priceAndStock[1], "RESTOCK")));
                }
            });
            customers.forEach((id, credit) -> {
                if (credit > 0) {
                    system.send(Topics.PAYMENT_COMMANDS, id, new PaymentCommand(id, new CreditWallet("credit-" + id, credit)));
                }
            });
            while (!system.deliverable().isEmpty()) {
                system.deliver(system.deliverable().getFirst(), false);
            }
        }

        String orderId(int index) {
            return new ArrayList<>(orders.keySet()).get(index % orders.size());
        }
    }

    /** One order as a client requests it: who, and the quantity of each product. */
    record OrderSpec(String customerId, Map<String, Integer> lines) {
    }

    /** One step of a schedule. */
    sealed interface Action {
        void apply(SagaSystem system, World world);
    }

    /** Delivers the head of one of the deliverable queues (picked by index), maybe twice. */
    record Deliver(int pick, boolean duplicate) implements Action {
        public void apply(SagaSystem system, World world) {
            List<SagaSystem.QueueKey> deliverable = system.deliverable();
            if (!deliverable.isEmpty()) {
                system.deliver(deliverable.get(pick % deliverable.size()), duplicate);
            }
        }
    }

    /** The client POSTs an order with its Idempotency-Key: the first time, or again (same orderId, same body). */
    record Place(int order) implements Action {
        public void apply(SagaSystem system, World world) {
            String orderId = world.orderId(order);
            OrderSpec spec = world.orders.get(orderId);
            List<RequestedLine> lines = spec.lines.entrySet().stream().map(l -> new RequestedLine(l.getKey(), l.getValue())).toList();
            system.send(Topics.ORDER_REQUESTS, orderId, new OrderRequest(orderId, Instant.ofEpochMilli(system.nowMs()),
                    new PlaceOrder(spec.customerId, "key-" + orderId, lines)));
            if (!world.placed.contains(orderId)) {
                world.placed.add(orderId);
            }
        }
    }

    /** The order's customer asks to cancel it. */
    record Cancel(int order) implements Action {
        public void apply(SagaSystem system, World world) {
            String orderId = world.orderId(order);
            system.send(Topics.ORDER_REQUESTS, orderId, new OrderRequest(orderId, Instant.ofEpochMilli(system.nowMs()),
                    CancelOrder.newBuilder().setRequestedBy(world.orders.get(orderId).customerId).build()));
        }
    }

    /** Time passes. */
    record Advance(long ms) implements Action {
        public void apply(SagaSystem system, World world) {
            system.advance(Duration.ofMillis(ms));
        }
    }

    /** A service goes down, or comes back. */
    record Toggle(int application) implements Action {
        public void apply(SagaSystem system, World world) {
            SagaSystem.Application app = system.application(APPLICATIONS.get(application % APPLICATIONS.size()));
            if (app.isUp()) {
                app.down();
            } else {
                app.up();
            }
        }
    }

    @Provide
    Arbitrary<World> worlds() {
        Arbitrary<Integer> productCount = Arbitraries.integers().between(1, 3);
        Arbitrary<Integer> customerCount = Arbitraries.integers().between(1, 2);
        return Combinators.combine(productCount, customerCount).flatAs((p, c) -> {
            Arbitrary<List<long[]>> products = Combinators.combine(Arbitraries.longs().between(50, 500), Arbitraries.longs().between(0, 4))
                    .as((price, stock) -> new long[] {price, stock}).list().ofSize(p);
            Arbitrary<List<Long>> credits = Arbitraries.of(0L, 500L, 2_000L, 10_000L).list().ofSize(c);
            Arbitrary<OrderSpec> order = Combinators.combine(
                    Arbitraries.integers().between(0, c - 1),
                    Combinators.combine(Arbitraries.integers().between(0, p - 1), Arbitraries.integers().between(1, 3))
                            .as((product, quantity) -> Map.entry("P" + product, quantity)).list().ofMinSize(1).ofMaxSize(2))
                    .as((customer, lines) -> {
                        Map<String, Integer> merged = new LinkedHashMap<>();
                        lines.forEach(l -> merged.merge(l.getKey(), l.getValue(), Integer::sum));
                        return new OrderSpec("C" + customer, merged);
                    });
            return Combinators.combine(products, credits, order.list().ofMinSize(1).ofMaxSize(4)).as((ps, cs, os) -> {
                Map<String, long[]> productMap = new LinkedHashMap<>();
                for (int i = 0; i < ps.size(); i++) {
                    productMap.put("P" + i, ps.get(i));
                }
                Map<String, Long> customerMap = new LinkedHashMap<>();
                for (int i = 0; i < cs.size(); i++) {
                    customerMap.put("C" + i, cs.get(i));
                }
                Map<String, OrderSpec> orderMap = new LinkedHashMap<>();
                for (int i = 0; i < os.size(); i++) {
                    orderMap.put("order-" + i, os.get(i));
                }
                return new World(productMap, customerMap, orderMap, new ArrayList<>());
            });
        });
    }

    @Provide
    Arbitrary<List<Action>> schedules() {
        Arbitrary<Action> action = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(12, Combinators.combine(Arbitraries.integers().between(0, 1_000), Arbitraries.of(false, false, false, false, true))
                        .as(Deliver::new)),
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, 3).map(Place::new)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 3).map(Cancel::new)),
                net.jqwik.api.Tuple.of(3, Arbitraries.of(1_000L, 5_000L, 31_000L, RETENTION_MS + 60_000).map(Advance::new)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 2).map(Toggle::new)));
        return action.list().ofMinSize(10).ofMaxSize(60);
    }
}
