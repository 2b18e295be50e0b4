package io.ordersaga.demo.run;

import io.ordersaga.demo.DemoException;
import io.ordersaga.demo.client.OrderApi;
import io.ordersaga.demo.report.Report;
import io.ordersaga.demo.workload.Workload;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * Loads a workload's catalog, stock and wallets through order-api and waits until the services show them.
 *
 * <p>Order matters: the saga prices orders from the catalog, a compacted topic it reads asynchronously, so every
 * product is PUT first; then the stock adjustments and wallet credits are sent; then every product is polled until
 * the saga's catalog ({@code GET /products/{id}}) and the product's stock show what was sent, and every customer's
 * wallet likewise. Only then may orders start. Each adjustment and credit carries an Idempotency-Key
 * ({@link #STOCK_KEY}, {@link #CREDIT_KEY}), so {@link OrderApi} retries them after a 503 or a lost answer without
 * applying them twice.
 *
 * <p>The audit compares the services' totals with what this demo sent, so it needs a stack that has never seen
 * this workload: before loading, a product with stock or a customer with wallet activity stops the demo.
 */
public final class Loader {

    /** How long the stock and wallets may take to show what was sent, in ms. */
    static final long VISIBLE_DEADLINE_MS = 120_000;
    /** Pause between two polling rounds, in ms. */
    static final long POLL_PAUSE_MS = 200;
    /** Reason of the demo's stock adjustments. */
    static final String ADJUSTMENT_REASON = "demo initial stock";
    /**
     * Idempotency-Key of the initial stock adjustment of each product: one adjustment per product in this load step,
     * and order-api scopes the key by productId, so a retry names the same adjustment.
     */
    static final String STOCK_KEY = "demo-initial-stock";
    /** Idempotency-Key of the initial credit of each customer's wallet, scoped by customerId as {@link #STOCK_KEY}. */
    static final String CREDIT_KEY = "demo-initial-credit";

    private Loader() {
    }

    /**
     * Checks that the stack is fresh for the workload, loads it, and waits until it is visible.
     *
     * @param api         order-api
     * @param workload    the catalog to PUT
     * @param plan        the stock (units) and credits (pence) to send; zero amounts are not sent
     * @param concurrency parallel requests
     * @param out         one line per step
     * @throws DemoException when the stack already holds data of the workload, a write is refused or fails,
     *                       or the data is not visible within {@value #VISIBLE_DEADLINE_MS} ms
     */
    public static void load(OrderApi api, Workload workload, LoadPlan plan, int concurrency, PrintStream out) {
        List<String> products = List.copyOf(plan.stock().keySet());
        List<String> customers = List.copyOf(plan.credits().keySet());
        long start = System.nanoTime();
        checkFresh(api, products, customers, concurrency);

        Parallel.map(workload.products(), concurrency, product -> {
            api.putProduct(product);
            return null;
        });
        out.printf("catalog: %d products PUT (%s)%n", products.size(), Report.seconds(System.nanoTime() - start));

        List<Runnable> writes = new ArrayList<>();
        plan.stock().forEach((product, units) -> {
            if (units > 0) {
                writes.add(() -> api.adjustStock(product, units, ADJUSTMENT_REASON, STOCK_KEY));
            }
        });
        plan.credits().forEach((customer, pence) -> {
            if (pence > 0) {
                writes.add(() -> api.creditWallet(customer, pence, CREDIT_KEY));
            }
        });
        Parallel.map(writes, concurrency, write -> {
            write.run();
            return null;
        });
        out.printf("stock: %,d units over %d products; wallets: %s credited to %d customers (%s)%n",
                plan.totalStock(), products.size(), Report.pounds(plan.totalCredits()), customers.size(),
                Report.seconds(System.nanoTime() - start));

        long deadline = System.nanoTime() + Duration.ofMillis(VISIBLE_DEADLINE_MS).toNanos();
        Map<String, Workload.Product> catalog = workload.catalog();
        awaitVisible("catalog", products, concurrency, deadline, product -> {
            Workload.Product sent = catalog.get(product);
            Optional<OrderApi.CatalogEntry> entry = api.product(product);
            boolean visible = entry.map(e -> e.name().equals(sent.name()) && e.unitPrice() == sent.unitPrice())
                    .orElse(false);
            return visible ? null : product + " expected " + sent + ", the saga's catalog shows " + entry.orElse(null);
        });
        awaitVisible("stock", products, concurrency, deadline, product -> {
            long units = plan.stock().get(product);
            Optional<OrderApi.Stock> stock = api.stock(product);
            boolean visible = stock.map(s -> s.adjusted() == units && s.available() == units && s.reserved() == 0
                    && s.sold() == 0).orElse(units == 0);
            return visible ? null : product + " expected " + units + " units, shows " + stock.orElse(null);
        });
        awaitVisible("wallet", customers, concurrency, deadline, customer -> {
            long pence = plan.credits().get(customer);
            OrderApi.Wallet wallet = api.wallet(customer);
            boolean visible = wallet.credited() == pence && wallet.balance() == pence && wallet.charged() == 0
                    && wallet.refunded() == 0;
            return visible ? null : customer + " expected " + pence + " pence credited, shows " + wallet;
        });
        out.printf("loaded and visible: catalog and stock of %d products, %d wallets (%s)%n", products.size(),
                customers.size(),
                Report.seconds(System.nanoTime() - start));
    }

    private static void checkFresh(OrderApi api, List<String> products, List<String> customers, int concurrency) {
        List<String> used = new ArrayList<>();
        Parallel.map(products, concurrency, api::stock).forEach(stock -> stock
                .filter(s -> s.adjusted() != 0 || s.available() != 0 || s.reserved() != 0 || s.sold() != 0)
                .ifPresent(s -> used.add("product " + s.productId() + " already has stock " + s)));
        Parallel.map(customers, concurrency, api::wallet).forEach(wallet -> {
            if (wallet.credited() != 0 || wallet.charged() != 0 || wallet.refunded() != 0 || wallet.balance() != 0) {
                used.add("customer " + wallet.customerId() + " already has wallet activity " + wallet);
            }
        });
        if (!used.isEmpty()) {
            throw new DemoException("the stack already holds data of this workload (" + used.size()
                    + " products or customers, e.g. " + used.getFirst() + "); the audit needs a fresh stack: "
                    + "restart it, or use another --seed for a synthetic workload");
        }
    }

    /**
     * Polls {@code check} over the keys until it returns null for all of them.
     *
     * @param check null when the key shows what was sent, else a description of what it shows
     * @throws DemoException when the deadline passes first, naming how many keys lag and one of them
     */
    private static void awaitVisible(String what, List<String> keys, int concurrency, long deadlineNanos,
                                     Function<String, String> check) {
        List<String> pending = keys;
        while (true) {
            List<String> lagging = Parallel.map(pending, concurrency, check);
            Map<String, String> stillPending = new LinkedHashMap<>();
            for (int i = 0; i < pending.size(); i++) {
                if (lagging.get(i) != null) {
                    stillPending.put(pending.get(i), lagging.get(i));
                }
            }
            if (stillPending.isEmpty()) {
                return;
            }
            if (System.nanoTime() - deadlineNanos > 0) {
                throw new DemoException(stillPending.size() + " " + what + " records not as sent after "
                        + VISIBLE_DEADLINE_MS / 1000 + " s, e.g. " + stillPending.values().iterator().next());
            }
            pending = List.copyOf(stillPending.keySet());
            LockSupport.parkNanos(Duration.ofMillis(POLL_PAUSE_MS).toNanos());
        }
    }
}
