package io.ordersaga.demo.audit;

import io.ordersaga.demo.client.OrderApi;
import io.ordersaga.demo.run.Outcome;
import io.ordersaga.demo.run.Parallel;
import io.ordersaga.demo.run.Replay;
import io.ordersaga.demo.workload.Workload;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Proves (or disproves) that the books balance, from the services' own state read through order-api, against
 * what the demo sent and saw. {@link #check} is a pure function; {@link #run} observes and checks again while
 * breaches remain, since stock commits, releases and refunds follow an order's terminal state asynchronously:
 * until no breach is left, nothing read has changed for {@value #QUIET_MS} ms, or {@value #SETTLE_MS} ms have
 * passed.
 */
public final class Audit {

    /** How long breaches may take to disappear after the replay, in ms. */
    static final long SETTLE_MS = 30_000;
    /** Breaches that stay while nothing the audit reads changes for this long are final, in ms. */
    static final long QUIET_MS = 5_000;
    /** Pause between two audit rounds, in ms. */
    static final long ROUND_PAUSE_MS = 500;

    private Audit() {
    }

    /** What a breach breaks. */
    public enum Kind {
        /** A product's {@code adjusted} is not the stock the demo sent (or it has no stock record). */
        STOCK_ADJUSTED,
        /** A product's {@code adjusted != available + reserved + sold}, or a negative figure. */
        STOCK_CONSERVATION,
        /** Units still reserved once every order has ended. */
        STOCK_RESERVED,
        /** A product's {@code sold} is not the sum of its quantities over CONFIRMED orders (read model). */
        STOCK_SOLD,
        /** A wallet's {@code credited} is not what the demo sent. */
        WALLET_CREDITED,
        /** A wallet's {@code credited != balance + charged - refunded}, or a negative balance. */
        WALLET_CONSERVATION,
        /** A wallet's {@code charged - refunded} is not the sum of totals of its CONFIRMED orders (read model). */
        WALLET_CHARGED,
        /** An accepted order with no terminal state: not seen terminal in time, or not terminal in the read model. */
        ORDER_NOT_TERMINAL,
        /** The read model's order differs from the terminal state the long poll returned. */
        ORDER_DISAGREES,
        /**
         * A CONFIRMED order is not what was asked: another customer, other quantities per product, a unit price
         * other than the catalog's, a line total other than quantity x unit price, or a total other than the sum.
         */
        ORDER_CONTENT,
        /**
         * The customer's order list does not hold each of the customer's orders exactly once with its status, or
         * holds an order the demo did not place, or one orderId came back for two Idempotency-Keys.
         */
        ORDER_LISTING,
        /**
         * Flash sale: more units promised than there are. CONFIRMED units of the hot product above
         * {@code min(stock sent, units ordered)}, or above its stock's {@code sold} (confirmed orders no unit of
         * stock backs, as a lost update on a stock lock gives).
         */
        OVERSOLD,
        /**
         * Flash sale: fewer units sold than due. CONFIRMED units of the hot product below {@code min(stock sent,
         * units ordered)} (buyers turned away or left unfinished while units remain), or below its stock's
         * {@code sold} (units gone from the stock without a confirmed order).
         */
        UNDERSOLD
    }

    /**
     * One broken rule.
     *
     * @param kind    which rule
     * @param subject {@code product <id>}, {@code customer <id>} or {@code order <id> (key <key>)}
     * @param detail  the figures that disagree
     */
    public record Breach(Kind kind, String subject, String detail) {

        @Override
        public String toString() {
            return kind + " " + subject + ": " + detail;
        }
    }

    /**
     * What the demo sent and saw.
     *
     * @param stock    units sent per product (the keys are every product to audit)
     * @param credits  pence sent per customer (the keys are every customer to audit)
     * @param catalog  the catalog the demo PUT, by product id
     * @param outcomes every order's outcome; Terminal and Unfinished ones were accepted
     * @param flashSale the hot product of a flash sale, whose orders can all be paid, so that exactly
     *                  {@code min(stock sent, units the outcomes' orders ask)} of its units must be CONFIRMED and
     *                  sold ({@link Kind#OVERSOLD}, {@link Kind#UNDERSOLD}); empty for other workloads
     */
    public record Expected(Map<String, Long> stock, Map<String, Long> credits, Map<String, Workload.Product> catalog,
                           List<Outcome> outcomes, Optional<String> flashSale) {
    }

    /**
     * The audit's last round.
     *
     * @param breaches the breaches; empty when the books balance
     * @param observed what the services showed
     */
    public record Verdict(List<Breach> breaches, Observed observed) {
    }

    /**
     * What the services show.
     *
     * @param stock          stock per product; a product without a stock record (404) is absent
     * @param wallets        wallet per customer
     * @param orders         read-model order per accepted orderId; an order unknown to the read model is absent
     * @param customerOrders order list per customer
     */
    public record Observed(Map<String, OrderApi.Stock> stock, Map<String, OrderApi.Wallet> wallets,
                           Map<String, OrderApi.OrderView> orders, Map<String, List<OrderApi.OrderSummary>> customerOrders) {
    }

    /**
     * Observes and checks until no breach is left, nothing read changes for {@value #QUIET_MS} ms, or
     * {@value #SETTLE_MS} ms have passed.
     *
     * @param api         order-api
     * @param expected    what the demo sent and saw
     * @param concurrency parallel requests
     * @param out         one line when a re-check is needed
     * @return the breaches of the last round (empty when the books balance) and what it read
     * @throws io.ordersaga.demo.DemoException when order-api cannot be read
     */
    public static Verdict run(OrderApi api, Expected expected, int concurrency, PrintStream out) {
        long deadline = System.nanoTime() + Duration.ofMillis(SETTLE_MS).toNanos();
        Observed previous = null;
        long lastChange = System.nanoTime();
        for (int round = 1; ; round++) {
            Observed observed = observe(api, expected, concurrency);
            List<Breach> breaches = check(expected, observed);
            long now = System.nanoTime();
            if (!observed.equals(previous)) {
                previous = observed;
                lastChange = now;
            }
            if (breaches.isEmpty() || now - deadline > 0 || now - lastChange >= Duration.ofMillis(QUIET_MS).toNanos()) {
                return new Verdict(breaches, observed);
            }
            if (round == 1) {
                out.printf("audit: %d breaches on the first look; re-checking until they clear, nothing changes for"
                        + " %d s, or %d s pass%n", breaches.size(), QUIET_MS / 1000, SETTLE_MS / 1000);
            }
            LockSupport.parkNanos(Duration.ofMillis(ROUND_PAUSE_MS).toNanos());
        }
    }

    /**
     * Reads every product's stock, every customer's wallet and order list, and every accepted order.
     *
     * @param api         order-api
     * @param expected    what to read
     * @param concurrency parallel requests
     * @return what the services show
     * @throws DemoException when order-api cannot be read
     */
    static Observed observe(OrderApi api, Expected expected, int concurrency) {
        List<String> products = List.copyOf(expected.stock().keySet());
        List<String> customers = List.copyOf(expected.credits().keySet());
        List<String> orderIds = expected.outcomes().stream().map(Audit::orderId).flatMap(Optional::stream)
                .distinct().toList();
        Map<String, OrderApi.Stock> stock = new HashMap<>();
        Parallel.map(products, concurrency, api::stock).forEach(s -> s.ifPresent(v -> stock.put(v.productId(), v)));
        Map<String, OrderApi.Wallet> wallets = zip(customers, Parallel.map(customers, concurrency, api::wallet));
        Map<String, OrderApi.OrderView> orders = new HashMap<>();
        List<Optional<OrderApi.OrderView>> views = Parallel.map(orderIds, concurrency, id -> api.order(id, 0));
        for (int i = 0; i < orderIds.size(); i++) {
            int index = i;
            views.get(i).ifPresent(v -> orders.put(orderIds.get(index), v));
        }
        Map<String, List<OrderApi.OrderSummary>> lists =
                zip(customers, Parallel.map(customers, concurrency, api::customerOrders));
        return new Observed(stock, wallets, orders, lists);
    }

    private static <V> Map<String, V> zip(List<String> keys, List<V> values) {
        Map<String, V> map = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            map.put(keys.get(i), values.get(i));
        }
        return map;
    }

    /** The orderId of an accepted order's outcome. */
    private static Optional<String> orderId(Outcome outcome) {
        return switch (outcome) {
            case Outcome.Terminal t -> Optional.of(t.orderId());
            case Outcome.Unfinished u -> Optional.of(u.orderId());
            case Outcome.Refused r -> Optional.empty();
            case Outcome.Unanswered u -> Optional.empty();
        };
    }

    /**
     * Checks every rule of {@link Kind}.
     *
     * @param expected what the demo sent and saw
     * @param observed what the services show
     * @return the breaches: products, then customers, then orders
     */
    static List<Breach> check(Expected expected, Observed observed) {
        List<Breach> stockBreaches = new ArrayList<>();
        List<Breach> walletBreaches = new ArrayList<>();
        List<Breach> orderBreaches = new ArrayList<>();
        Map<String, Long> soldByProduct = new HashMap<>();
        Map<String, Long> paidByCustomer = new HashMap<>();
        Map<String, List<String>> orderIdsByCustomer = new HashMap<>();
        Map<String, String> keyByOrderId = new HashMap<>();

        for (Outcome outcome : expected.outcomes()) {
            Optional<String> id = orderId(outcome);
            if (id.isEmpty()) {
                continue;
            }
            String orderId = id.get();
            Workload.Order order = outcome.order();
            String subject = "order " + orderId + " (key " + order.idempotencyKey() + ")";
            String firstKey = keyByOrderId.putIfAbsent(orderId, order.idempotencyKey());
            if (firstKey != null) {
                orderBreaches.add(new Breach(Kind.ORDER_LISTING, subject,
                        "the same orderId came back for Idempotency-Key " + firstKey));
                continue;
            }
            orderIdsByCustomer.computeIfAbsent(order.customerId(), c -> new ArrayList<>()).add(orderId);
            OrderApi.OrderView readModel = observed.orders().get(orderId);
            switch (outcome) {
                case Outcome.Unfinished u -> orderBreaches.add(new Breach(Kind.ORDER_NOT_TERMINAL, subject,
                        "no terminal state within " + Replay.ORDER_DEADLINE_MS / 1000 + " s of its POST (last seen: "
                                + u.lastSeen() + "); read model now: "
                                + (readModel == null ? "no such order" : readModel.status())));
                case Outcome.Terminal t when readModel == null -> orderBreaches.add(new Breach(
                        Kind.ORDER_NOT_TERMINAL, subject, "the long poll returned " + t.view().status()
                                + " but the read model has no such order"));
                case Outcome.Terminal t when !readModel.terminal() -> orderBreaches.add(new Breach(
                        Kind.ORDER_NOT_TERMINAL, subject, "the long poll returned " + t.view().status()
                                + " but the read model now says " + readModel.status()));
                case Outcome.Terminal t when !readModel.equals(t.view()) -> orderBreaches.add(new Breach(
                        Kind.ORDER_DISAGREES, subject, "long poll " + t.view() + " vs read model " + readModel));
                default -> {
                    // terminal and agreeing: nothing to report here
                }
            }
            if (readModel != null && "CONFIRMED".equals(readModel.status())) {
                content(order, readModel, expected.catalog())
                        .ifPresent(detail -> orderBreaches.add(new Breach(Kind.ORDER_CONTENT, subject, detail)));
                for (OrderApi.OrderLine line : readModel.lines()) {
                    soldByProduct.merge(line.productId(), (long) line.quantity(), Long::sum);
                }
                paidByCustomer.merge(order.customerId(), readModel.total(), Long::sum);
            }
        }

        expected.stock().forEach((product, sent) -> {
            String subject = "product " + product;
            OrderApi.Stock s = observed.stock().get(product);
            if (s == null) {
                s = new OrderApi.Stock(product, 0, 0, 0, 0);
                if (sent != 0) {
                    stockBreaches.add(new Breach(Kind.STOCK_ADJUSTED, subject,
                            "no stock record, but the demo sent " + sent + " units"));
                }
            } else if (s.adjusted() != sent) {
                stockBreaches.add(new Breach(Kind.STOCK_ADJUSTED, subject,
                        "adjusted " + s.adjusted() + " but the demo sent " + sent + " units"));
            }
            if (s.adjusted() != s.available() + s.reserved() + s.sold()
                    || s.available() < 0 || s.reserved() < 0 || s.sold() < 0) {
                stockBreaches.add(new Breach(Kind.STOCK_CONSERVATION, subject, "adjusted " + s.adjusted()
                        + " vs available " + s.available() + " + reserved " + s.reserved() + " + sold " + s.sold()));
            }
            if (s.reserved() != 0) {
                stockBreaches.add(new Breach(Kind.STOCK_RESERVED, subject,
                        s.reserved() + " units still reserved after every order ended"));
            }
            long confirmedUnits = soldByProduct.getOrDefault(product, 0L);
            if (s.sold() != confirmedUnits) {
                stockBreaches.add(new Breach(Kind.STOCK_SOLD, subject,
                        "sold " + s.sold() + " but CONFIRMED orders hold " + confirmedUnits + " units"));
            }
        });

        expected.flashSale().ifPresent(product -> flashSale(product, expected, observed, soldByProduct,
                stockBreaches));

        expected.credits().forEach((customer, sent) -> {
            String subject = "customer " + customer;
            OrderApi.Wallet w = observed.wallets().getOrDefault(customer, new OrderApi.Wallet(customer, 0, 0, 0, 0));
            if (w.credited() != sent) {
                walletBreaches.add(new Breach(Kind.WALLET_CREDITED, subject,
                        "credited " + w.credited() + " but the demo sent " + sent + " pence"));
            }
            if (w.credited() != w.balance() + w.charged() - w.refunded() || w.balance() < 0) {
                walletBreaches.add(new Breach(Kind.WALLET_CONSERVATION, subject, "credited " + w.credited()
                        + " vs balance " + w.balance() + " + charged " + w.charged() + " - refunded " + w.refunded()));
            }
            long confirmedPence = paidByCustomer.getOrDefault(customer, 0L);
            if (w.charged() - w.refunded() != confirmedPence) {
                walletBreaches.add(new Breach(Kind.WALLET_CHARGED, subject, "charged " + w.charged() + " - refunded "
                        + w.refunded() + " but CONFIRMED orders total " + confirmedPence + " pence"));
            }
            listing(customer, orderIdsByCustomer.getOrDefault(customer, List.of()),
                    observed.customerOrders().getOrDefault(customer, List.of()), observed.orders(), orderBreaches);
        });

        List<Breach> all = new ArrayList<>(stockBreaches);
        all.addAll(walletBreaches);
        all.addAll(orderBreaches);
        return all;
    }

    /**
     * The flash sale's rules: CONFIRMED units of the hot product = {@code min(stock sent, units ordered)}, and
     * CONFIRMED units = its stock's {@code sold}; more is {@link Kind#OVERSOLD}, less {@link Kind#UNDERSOLD}.
     */
    private static void flashSale(String product, Expected expected, Observed observed,
                                  Map<String, Long> soldByProduct, List<Breach> breaches) {
        String subject = "product " + product + " (flash sale)";
        long stocked = expected.stock().getOrDefault(product, 0L);
        long ordered = expected.outcomes().stream().flatMap(o -> o.order().lines().stream())
                .filter(l -> l.productId().equals(product)).mapToLong(Workload.Line::quantity).sum();
        long due = Math.min(stocked, ordered);
        long confirmed = soldByProduct.getOrDefault(product, 0L);
        if (confirmed != due) {
            breaches.add(new Breach(confirmed > due ? Kind.OVERSOLD : Kind.UNDERSOLD, subject, "CONFIRMED orders hold "
                    + confirmed + " units, but min(" + stocked + " stocked, " + ordered + " ordered) = " + due
                    + " must sell"));
        }
        OrderApi.Stock s = observed.stock().get(product);
        long sold = s == null ? 0 : s.sold();
        if (sold != confirmed) {
            breaches.add(new Breach(confirmed > sold ? Kind.OVERSOLD : Kind.UNDERSOLD, subject,
                    "CONFIRMED orders hold " + confirmed + " units but the stock sold " + sold));
        }
    }

    /** Whether a CONFIRMED read-model order is what was asked, at catalog prices; empty when it is. */
    private static Optional<String> content(Workload.Order order, OrderApi.OrderView view,
                                            Map<String, Workload.Product> catalog) {
        if (!order.customerId().equals(view.customerId())) {
            return Optional.of("customer " + view.customerId() + ", asked by " + order.customerId());
        }
        Map<String, Long> asked = new TreeMap<>();
        order.lines().forEach(l -> asked.merge(l.productId(), (long) l.quantity(), Long::sum));
        Map<String, Long> got = new TreeMap<>();
        long sum = 0;
        for (OrderApi.OrderLine line : view.lines()) {
            got.merge(line.productId(), (long) line.quantity(), Long::sum);
            Workload.Product product = catalog.get(line.productId());
            if (product == null) {
                return Optional.of(line.productId() + " is not in the demo's catalog");
            }
            long price = product.unitPrice();
            if (line.unitPrice() == null || line.unitPrice() != price) {
                return Optional.of(line.productId() + " priced " + line.unitPrice() + ", catalog " + price + " pence");
            }
            if (line.lineTotal() == null || line.lineTotal() != (long) line.quantity() * price) {
                return Optional.of(line.productId() + " line total " + line.lineTotal() + ", expected "
                        + line.quantity() + " x " + price + " pence");
            }
            sum += line.lineTotal();
        }
        if (!asked.equals(got)) {
            return Optional.of("units per product " + got + ", asked " + asked);
        }
        if (view.total() != sum) {
            return Optional.of("total " + view.total() + " but lines sum to " + sum + " pence");
        }
        return Optional.empty();
    }

    /** The customer's list must hold each of its orders once, with the read model's status, and nothing else. */
    private static void listing(String customer, List<String> placed, List<OrderApi.OrderSummary> listed,
                                Map<String, OrderApi.OrderView> readModel, List<Breach> breaches) {
        Map<String, List<OrderApi.OrderSummary>> byId = new LinkedHashMap<>();
        listed.forEach(s -> byId.computeIfAbsent(s.orderId(), k -> new ArrayList<>()).add(s));
        for (String orderId : placed) {
            List<OrderApi.OrderSummary> entries = byId.remove(orderId);
            OrderApi.OrderView view = readModel.get(orderId);
            if (entries == null || entries.size() != 1) {
                breaches.add(new Breach(Kind.ORDER_LISTING, "customer " + customer,
                        "lists order " + orderId + " " + (entries == null ? 0 : entries.size()) + " times"));
            } else if (view != null && !Objects.equals(entries.getFirst().status(), view.status())) {
                breaches.add(new Breach(Kind.ORDER_LISTING, "customer " + customer, "lists order " + orderId
                        + " as " + entries.getFirst().status() + " but the read model says " + view.status()));
            }
        }
        byId.keySet().forEach(orderId -> breaches.add(new Breach(Kind.ORDER_LISTING, "customer " + customer,
                "lists order " + orderId + " that the demo did not place")));
    }
}
