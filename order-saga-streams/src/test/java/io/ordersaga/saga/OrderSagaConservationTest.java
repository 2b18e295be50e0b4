package io.ordersaga.saga;

import io.ordersaga.events.ChargePayment;
import io.ordersaga.events.CommitStock;
import io.ordersaga.events.DeclineReason;
import io.ordersaga.events.InventoryCommand;
import io.ordersaga.events.InventoryReply;
import io.ordersaga.events.OrderEvent;
import io.ordersaga.events.OrderLine;
import io.ordersaga.events.OrderSagaState;
import io.ordersaga.events.OrderStatus;
import io.ordersaga.events.PaymentCharged;
import io.ordersaga.events.PaymentCommand;
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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives {@link OrderSaga} together with small in-test models of inventory and payment (idempotent per order as
 * their schemas specify: a repeated command re-emits the first outcome; a release or refund that arrives before
 * its reserve or charge voids it) over random orders, stock and wallets, and random interleavings of the topics:
 * FIFO per topic and key, as Kafka delivers, interleaved at random across them, with redeliveries, customer
 * cancels and wall-clock jumps that fire timeouts. Then it lets everything settle and checks that stock and money
 * are conserved exactly and every order ended once, consistently with what inventory and payment did.
 *
 * <p>Simulated time stays far below the retention (one day), as it does in production, where a reply never
 * arrives a day late: a late Charged for a saga removed by retention is refunded even if the order was confirmed.
 */
class OrderSagaConservationTest {

    private static final OrderSaga.Timings CONFIG = OrderSaga.Timings.defaults();
    private static final List<String> CUSTOMERS = List.of("c0", "c1", "c2");
    /** P4 is not in the catalog. */
    private static final List<String> PRODUCTS = List.of("P0", "P1", "P2", "P3", "P4");
    private static final Map<String, Product> CATALOG = Map.of(
            "P0", new Product("P0", "Mug", 450L, Instant.EPOCH),
            "P1", new Product("P1", "Tea towel", 799L, Instant.EPOCH),
            "P2", new Product("P2", "Teapot", 2500L, Instant.EPOCH),
            "P3", new Product("P3", "Spoon", 3L, Instant.EPOCH));

    @Property(tries = 1000)
    void stockAndMoneyAreConservedAndEveryOrderEndsOnce(
            @ForAll("orders") @Size(min = 1, max = 6) List<PlaceOrder> orders,
            @ForAll @Size(min = 5, max = 5) List<@IntRange(max = 12) Integer> stock,
            @ForAll @Size(min = 3, max = 3) List<@LongRange(max = 20_000) Long> balances,
            @ForAll @Size(max = 400) List<@IntRange(max = 9_999) Integer> schedule) {
        World world = new World(stock, balances);
        for (int i = 0; i < orders.size(); i++) {
            world.send(Channel.REQUESTS, "o" + i, new SagaInput.Place("o" + i, orders.get(i), world.nowMs));
        }
        for (int choice : schedule) {
            world.step(choice, orders.size());
        }
        world.settle();
        world.check(orders.size());
        Statistics.label("outcome").coverage(coverage -> {
            for (String outcome : List.of("CONFIRMED", "CANCELLED/OUT_OF_STOCK", "CANCELLED/PAYMENT_DECLINED", "CANCELLED/TIMEOUT",
                    "CANCELLED/CUSTOMER_CANCELLED", "REJECTED/UNKNOWN_PRODUCT", "REJECTED/INVALID_ORDER")) {
                coverage.check(outcome).count(n -> n >= 10);
            }
        });
    }

    @Provide
    Arbitrary<List<PlaceOrder>> orders() {
        Arbitrary<String> customer = Arbitraries.frequencyOf(
                Tuple.of(20, Arbitraries.of(CUSTOMERS)),
                Tuple.of(1, Arbitraries.just(" ")));
        Arbitrary<Integer> quantity = Arbitraries.frequencyOf(
                Tuple.of(30, Arbitraries.integers().between(1, 4)),
                Tuple.of(1, Arbitraries.integers().between(-1, 0)));
        Arbitrary<String> product = Arbitraries.frequencyOf(
                Tuple.of(30, Arbitraries.of(PRODUCTS.subList(0, 4))),
                Tuple.of(1, Arbitraries.just("P4")));
        Arbitrary<RequestedLine> line = Combinators.combine(product, quantity).as(RequestedLine::new);
        Arbitrary<List<RequestedLine>> lines = Arbitraries.frequencyOf(
                Tuple.of(40, line.list().ofMinSize(1).ofMaxSize(4)),
                Tuple.of(1, Arbitraries.just(List.<RequestedLine>of())));
        return Combinators.combine(customer, lines).as((c, l) -> new PlaceOrder(c, null, l)).list();
    }

    /** The topics, each FIFO per key. */
    enum Channel { REQUESTS, INVENTORY_COMMANDS, INVENTORY_REPLIES, PAYMENT_COMMANDS, PAYMENT_REPLIES }

    /** The saga, inventory, payment and the records in flight between them. */
    static final class World {
        private final OrderSaga saga = new OrderSaga(CONFIG);
        private final Map<String, OrderSagaState> sagas = new LinkedHashMap<>();
        private final Map<String, List<OrderEvent>> events = new LinkedHashMap<>();
        private final Map<String, ArrayDeque<Object>> inFlight = new LinkedHashMap<>();
        private final Inventory inventory;
        private final Payments payments;
        private long nowMs = 1_750_000_000_000L;

        World(List<Integer> stock, List<Long> balances) {
            inventory = new Inventory(new Holds(PRODUCTS, stock));
            payments = new Payments(new Holds(CUSTOMERS, balances));
        }

        void send(Channel channel, String key, Object record) {
            inFlight.computeIfAbsent(channel + "|" + key, k -> new ArrayDeque<>()).add(record);
        }

        /**
         * One scheduling decision: mostly deliver the head of one topic-key queue; sometimes redeliver it
         * (keeping it queued), cancel an order, or let time pass (up to 40 s, firing due deadlines).
         */
        void step(int choice, int orderCount) {
            int kind = choice % 100;
            int arg = choice / 100;
            if (kind < 6) {
                advance(arg * 400L);
                return;
            }
            if (kind < 9) {
                String orderId = "o" + (arg % orderCount);
                send(Channel.REQUESTS, orderId, arg % 2 == 0 ? new SagaInput.Cancel(orderId, null) : new SagaInput.Compensate(orderId));
                return;
            }
            List<String> queues = inFlight.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey).toList();
            if (queues.isEmpty()) {
                advance(arg * 400L);
                return;
            }
            String queue = queues.get(arg % queues.size());
            deliver(queue, kind >= 90);
        }

        /** Delivers everything, firing every deadline, until nothing is in flight and every saga is terminal. */
        void settle() {
            for (int round = 0; round < 100; round++) {
                boolean delivered;
                do {
                    delivered = false;
                    for (String queue : List.copyOf(inFlight.keySet())) {
                        if (!inFlight.get(queue).isEmpty()) {
                            deliver(queue, false);
                            delivered = true;
                        }
                    }
                } while (delivered);
                if (sagas.values().stream().allMatch(s -> terminal(s.getOrder().getStatus()))) {
                    return;
                }
                advance(Math.max(CONFIG.reservationTimeoutMs(), CONFIG.paymentTimeoutMs()));
            }
            throw new AssertionError("the sagas did not settle: " + sagas);
        }

        private void deliver(String queue, boolean redeliver) {
            ArrayDeque<Object> records = inFlight.get(queue);
            Object record = redeliver ? records.peek() : records.poll();
            switch (record) {
                case SagaInput input -> toSaga(input);
                case InventoryCommand command -> inventory.handle(command, this);
                case PaymentCommand command -> payments.handle(command, this);
                default -> throw new IllegalStateException("unexpected " + record);
            }
        }

        private void advance(long ms) {
            nowMs += ms;
            List<String> due = sagas.entrySet().stream().filter(e -> e.getValue().getDeadline() <= nowMs).map(Map.Entry::getKey).toList();
            due.forEach(orderId -> toSaga(new SagaInput.Timeout(orderId)));
        }

        private void toSaga(SagaInput input) {
            OrderSagaState before = sagas.get(input.orderId());
            OrderSaga.Step step = saga.apply(before, null, input, nowMs, CATALOG::get);
            if (step.state() == null) {
                sagas.remove(input.orderId());
            } else {
                sagas.put(input.orderId(), step.state());
            }
            for (SagaOutput output : step.outputs()) {
                switch (output) {
                    case SagaOutput.ToInventory command -> send(Channel.INVENTORY_COMMANDS, command.key(), command.value());
                    case SagaOutput.ToPayment command -> send(Channel.PAYMENT_COMMANDS, command.key(), command.value());
                    // This model keeps every payment for ever, so a settlement (which lets one expire) changes nothing.
                    case SagaOutput.Settle ignored -> { }
                    case SagaOutput.Published published ->
                            events.computeIfAbsent(published.key(), k -> new ArrayList<>()).add(published.value());
                }
            }
        }

        void check(int orderCount) {
            assertThat(sagas.keySet()).as("every placed order has a saga").hasSize(orderCount);
            sagas.forEach((orderId, state) -> {
                OrderEvent order = state.getOrder();
                Statistics.label("outcome").collect(order.getStatus() + (order.getReason() == null ? "" : "/" + order.getReason()));
                List<OrderEvent> published = events.get(orderId);
                assertThat(published.getLast()).as("the stored order is the last published").isEqualTo(order);
                assertThat(published.stream().filter(e -> terminal(e.getStatus())).count())
                        .as("%s published exactly one terminal state: %s", orderId, published).isOne();
                assertThat(terminal(order.getStatus())).as("%s ended", orderId).isTrue();

                Hold payment = payments.payments().get(orderId);
                if (order.getStatus() == OrderStatus.CONFIRMED) {
                    assertThat(payment).as("%s charged once, its total, and not refunded", orderId)
                            .isEqualTo(new Hold(order.getTotal(), Hold.State.HELD));
                    for (OrderLine line : order.getLines()) {
                        assertThat(inventory.reservations().get(orderId + "|" + line.getProductId()))
                                .as("%s committed %s", orderId, line.getProductId())
                                .isEqualTo(new Hold(line.getQuantity(), Hold.State.KEPT));
                    }
                } else {
                    Hold.State paymentState = payment == null ? null : payment.state();
                    assertThat(paymentState).as("%s (%s) keeps none of the customer's money", orderId, order.getStatus())
                            .isIn(null, Hold.State.RETURNED, Hold.State.REFUSED, Hold.State.VOIDED);
                    inventory.reservations().all().forEach((key, reservation) -> {
                        if (key.startsWith(orderId + "|")) {
                            assertThat(reservation.state()).as("%s (%s) holds no stock of %s", orderId, order.getStatus(), key)
                                    .isIn(Hold.State.RETURNED, Hold.State.REFUSED, Hold.State.VOIDED);
                        }
                    });
                }
            });
            inventory.checkConservation(sagas);
            payments.checkConservation(sagas);
        }

        private static boolean terminal(OrderStatus status) {
            return status == OrderStatus.CONFIRMED || status == OrderStatus.CANCELLED || status == OrderStatus.REJECTED;
        }
    }

    /** Amounts per id that a service takes from and gives back (units per product, pence per customer), with where each started. */
    static final class Pool {
        private final Map<String, Long> initial = new LinkedHashMap<>();
        private final Map<String, Long> current = new LinkedHashMap<>();

        Pool(List<String> ids, List<? extends Number> amounts) {
            for (int i = 0; i < ids.size(); i++) {
                initial.put(ids.get(i), amounts.get(i).longValue());
                current.put(ids.get(i), amounts.get(i).longValue());
            }
        }

        /** Takes {@code amount} from {@code id} if it has that much; false, taking nothing, if not. */
        boolean take(String id, long amount) {
            if (current.get(id) < amount) {
                return false;
            }
            current.merge(id, -amount, Long::sum);
            return true;
        }

        void giveBack(String id, long amount) {
            current.merge(id, amount, Long::sum);
        }

        long current(String id) {
            return current.get(id);
        }

        long initial(String id) {
            return initial.get(id);
        }
    }

    /** What one key (a line of an order, or an order) holds of a pool: the amount it asked for and how far it got. */
    record Hold(long amount, State state) {
        /**
         * HELD: taken from the pool; KEPT: held for good (stock committed); RETURNED: given back; REFUSED: the pool had
         * too little; VOIDED: given back before any take, so no take will ever hold it.
         */
        enum State { HELD, KEPT, RETURNED, REFUSED, VOIDED }
    }

    /**
     * Holds per key on one {@link Pool}, idempotent as inventory and payment are: the first take of a key holds the
     * amount if the pool has it and is refused if not, a later take changes nothing; a give-back returns what a key
     * holds, and voids a key no take reached yet; a keep makes a hold final.
     */
    static final class Holds {
        private final Pool pool;
        private final Map<String, Hold> holds = new LinkedHashMap<>();

        Holds(List<String> ids, List<? extends Number> amounts) {
            pool = new Pool(ids, amounts);
        }

        /** The hold of {@code key}, or null while no take or give-back reached it. */
        Hold get(String key) {
            return holds.get(key);
        }

        /** Every key's hold. */
        Map<String, Hold> all() {
            return holds;
        }

        /** The pool the holds are taken from. */
        Pool pool() {
            return pool;
        }

        /** The hold of {@code key} after a take of {@code amount} from {@code id}: the first take's outcome. */
        Hold take(String key, String id, long amount) {
            return holds.computeIfAbsent(key, k -> new Hold(amount, pool.take(id, amount) ? Hold.State.HELD : Hold.State.REFUSED));
        }

        /** Gives what {@code key} holds back to {@code id}; voids {@code key} if no take reached it yet. */
        void giveBack(String key, String id) {
            Hold hold = holds.get(key);
            if (hold == null) {
                holds.put(key, new Hold(0, Hold.State.VOIDED));
            } else if (hold.state() == Hold.State.HELD) {
                pool.giveBack(id, hold.amount());
                holds.put(key, new Hold(hold.amount(), Hold.State.RETURNED));
            }
        }

        /** Keeps what {@code key} holds for good. */
        void keep(String key) {
            Hold hold = holds.get(key);
            if (hold != null && hold.state() == Hold.State.HELD) {
                holds.put(key, new Hold(hold.amount(), Hold.State.KEPT));
            }
        }
    }

    /** inventory-streams as its schemas specify it: one hold per order and product (key "orderId|productId") on the product's stock. */
    record Inventory(Holds reservations) {

        void handle(InventoryCommand command, World world) {
            String productId = command.getProductId();
            switch (command.getCommand()) {
                case ReserveStock reserve -> {
                    String key = reserve.getOrderId() + "|" + productId;
                    boolean first = reservations.get(key) == null;
                    Hold reservation = reservations.take(key, productId, reserve.getQuantity());
                    Object outcome = switch (reservation.state()) {
                        case HELD, KEPT, RETURNED -> new StockReserved((int) reservation.amount());
                        case REFUSED -> new StockRejected(reserve.getQuantity(), first ? reservations.pool().current(productId) : 0L,
                                StockRejectReason.OUT_OF_STOCK);
                        case VOIDED -> new StockRejected(reserve.getQuantity(), 0L, StockRejectReason.RESERVATION_VOIDED);
                    };
                    InventoryReply reply = new InventoryReply(reserve.getOrderId(), productId, outcome);
                    world.send(Channel.INVENTORY_REPLIES, reserve.getOrderId(), SagaInput.of(reserve.getOrderId(), reply));
                }
                case ReleaseStock release -> reservations.giveBack(release.getOrderId() + "|" + productId, productId);
                case CommitStock commit -> reservations.keep(commit.getOrderId() + "|" + productId);
                default -> throw new IllegalStateException("the saga never sends " + command);
            }
        }

        /** Per product: initial stock = available + held by reservations + sold to confirmed orders, and nothing held. */
        void checkConservation(Map<String, OrderSagaState> sagas) {
            for (String productId : PRODUCTS) {
                long held = 0;
                long sold = 0;
                for (Map.Entry<String, Hold> r : reservations.all().entrySet()) {
                    if (r.getKey().endsWith("|" + productId)) {
                        switch (r.getValue().state()) {
                            case HELD -> held += r.getValue().amount();
                            case KEPT -> sold += r.getValue().amount();
                            default -> {
                            }
                        }
                    }
                }
                long confirmed = sagas.values().stream().map(OrderSagaState::getOrder)
                        .filter(o -> o.getStatus() == OrderStatus.CONFIRMED)
                        .flatMap(o -> o.getLines().stream()).filter(l -> l.getProductId().equals(productId))
                        .mapToLong(OrderLine::getQuantity).sum();
                assertThat(held).as("units of %s still held", productId).isZero();
                assertThat(sold).as("units of %s sold = units confirmed", productId).isEqualTo(confirmed);
                assertThat(reservations.pool().current(productId) + held + sold).as("units of %s conserved", productId)
                        .isEqualTo(reservations.pool().initial(productId));
            }
        }
    }

    /** payment-streams as its schemas specify it: one hold per order (key orderId) on the customer's wallet. */
    record Payments(Holds payments) {

        void handle(PaymentCommand command, World world) {
            String customerId = command.getCustomerId();
            switch (command.getCommand()) {
                case ChargePayment charge -> {
                    String orderId = charge.getOrderId();
                    boolean first = payments.get(orderId) == null;
                    Object outcome = switch (payments.take(orderId, customerId, charge.getAmount()).state()) {
                        case HELD, KEPT, RETURNED -> new PaymentCharged(charge.getAmount());
                        case REFUSED -> new PaymentDeclined(charge.getAmount(), first ? payments.pool().current(customerId) : 0L,
                                DeclineReason.INSUFFICIENT_FUNDS);
                        case VOIDED -> new PaymentDeclined(charge.getAmount(), 0L, DeclineReason.ORDER_VOIDED);
                    };
                    PaymentReply reply = new PaymentReply(orderId, customerId, outcome);
                    world.send(Channel.PAYMENT_REPLIES, orderId, SagaInput.of(orderId, reply));
                }
                case RefundPayment refund -> payments.giveBack(refund.getOrderId(), customerId);
                default -> throw new IllegalStateException("the saga never sends " + command);
            }
        }

        /** Per customer: initial balance = balance + what confirmed orders paid. */
        void checkConservation(Map<String, OrderSagaState> sagas) {
            for (String customerId : CUSTOMERS) {
                long paid = sagas.values().stream().map(OrderSagaState::getOrder)
                        .filter(o -> o.getStatus() == OrderStatus.CONFIRMED && Objects.equals(o.getCustomerId(), customerId))
                        .mapToLong(OrderEvent::getTotal).sum();
                assertThat(payments.pool().current(customerId) + paid).as("money of %s conserved", customerId)
                        .isEqualTo(payments.pool().initial(customerId));
            }
        }
    }
}
