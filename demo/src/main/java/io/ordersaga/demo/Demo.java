package io.ordersaga.demo;

import io.ordersaga.demo.audit.Audit;
import io.ordersaga.demo.client.Credentials;
import io.ordersaga.demo.client.OrderApi;
import io.ordersaga.demo.report.Cost;
import io.ordersaga.demo.report.CostMeter;
import io.ordersaga.demo.report.Report;
import io.ordersaga.demo.run.LoadPlan;
import io.ordersaga.demo.run.Loader;
import io.ordersaga.demo.run.Parallel;
import io.ordersaga.demo.run.Replay;
import io.ordersaga.demo.workload.FlashSaleWorkload;
import io.ordersaga.demo.workload.OnlineRetailCsv;
import io.ordersaga.demo.workload.SyntheticWorkload;
import io.ordersaga.demo.workload.Workload;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code ./ordersaga demo}: replays a workload through order-api and proves the books balance.
 *
 * <ol>
 *   <li>Workload: the Online Retail CSV ({@code --csv}), the synthetic one fitted on it (default), or a flash sale
 *       on one hot product ({@code --flash-sale}, {@link FlashSaleWorkload}).</li>
 *   <li>Load: catalog, then initial stock and wallet credits by the policies of {@link LoadPlan} (for a flash sale:
 *       exactly its units, and every buyer credited), then wait until every product's stock and every customer's
 *       wallet shows them ({@link Loader}).</li>
 *   <li>Replay: closed loop with {@code --concurrency} orders in flight, or paced at {@code --rate}; each order is
 *       followed by long poll to its terminal state, with a progress bar ({@link Replay}).</li>
 *   <li>Report: printed, and written to {@code --out} as report.json and report.html ({@link Report}).</li>
 *   <li>Audit: the services' stock, wallets, orders and order lists against what the demo sent and saw
 *       ({@link Audit}; for a flash sale also that exactly {@code min(units, buyers)} units sold); each breach is
 *       printed.</li>
 * </ol>
 * The demo is an HTTP client only: order-api must be up (the launcher starts the stack first).
 */
public final class Demo {

    /** Exit code: the audit found no breach. */
    public static final int BOOKS_BALANCE = 0;
    /** Exit code: the audit found at least one breach. */
    public static final int AUDIT_BREACH = 1;
    /** Exit code: bad options, or the demo could not run (order-api unreachable, stack not fresh, ...). */
    public static final int COULD_NOT_RUN = 2;

    private Demo() {
    }

    /**
     * Runs the demo against {@code options.apiUrl()}.
     *
     * @param options     the options ({@link DemoOptions#parse} or {@link DemoOptions#defaults})
     * @param credentials the tokens the demo's client sends order-api: an admin's, and each customer's own
     * @param out         where progress, the summary and each breach are printed
     * @return {@link #BOOKS_BALANCE}, {@link #AUDIT_BREACH}, or {@link #COULD_NOT_RUN} (the reason printed as
     *         one line starting {@code demo failed:}); nothing is thrown for those
     */
    public static int run(DemoOptions options, Credentials credentials, PrintStream out) {
        return execute(options, credentials, out).exitCode();
    }

    /**
     * What one run of the demo gave.
     *
     * @param exitCode {@link #BOOKS_BALANCE}, {@link #AUDIT_BREACH} or {@link #COULD_NOT_RUN}
     * @param report   the report, when the demo got as far (empty for help and for {@link #COULD_NOT_RUN})
     */
    public record Result(int exitCode, Optional<Report> report) {
    }

    /**
     * Runs the demo as {@link #run} does, and gives the report too (for {@code ./ordersaga bench}).
     *
     * @param options     the options
     * @param credentials the tokens the demo's client sends order-api
     * @param out         where progress, the summary and each breach are printed
     * @return the exit code and the report; nothing is thrown for a run that could not be done
     */
    public static Result execute(DemoOptions options, Credentials credentials, PrintStream out) {
        if (options.help()) {
            out.println(DemoOptions.usage());
            return new Result(BOOKS_BALANCE, Optional.empty());
        }
        Instant started = Instant.now();
        long start = System.nanoTime();
        try (OrderApi api = new OrderApi(options.apiUrl(), credentials)) {
            Workload workload = workload(options);
            LoadPlan plan = plan(options, workload);
            out.printf(Locale.ROOT, "workload: %s: %,d orders, %,d products, %,d customers%n", workload.description(),
                    workload.orders().size(), workload.products().size(), workload.customerCount());
            Workload.Skipped skipped = workload.skipped();
            if (skipped.totalLines() > 0 || skipped.cancellationInvoices() > 0) {
                out.printf(Locale.ROOT, "skipped: %,d lines (%s); %,d cancellation invoices; %,d invoices without a valid line%n",
                        skipped.totalLines(), skipped.lines().entrySet().stream().filter(e -> e.getValue() > 0)
                                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")),
                        skipped.cancellationInvoices(), skipped.invoicesWithoutValidLine());
            }
            if (workload.orders().isEmpty()) {
                throw new DemoException("the workload has no order to replay");
            }

            long loadStart = System.nanoTime();
            Loader.load(api, workload, plan, options.concurrency(), out);
            // Every customer holds its token before the replay, as a client of an identity provider does: the
            // replay's figures are OrderSaga's, not the issuer's RSA signatures (about 1 ms of CPU each).
            Parallel.map(workload.orders().stream().map(Workload.Order::customerId).distinct().toList(),
                    options.concurrency(), credentials.customer());
            long loadMs = Duration.ofNanos(System.nanoTime() - loadStart).toMillis();

            CostMeter.Reading before = CostMeter.start(options.bootstrapServers());
            Replay.Result replay = Replay.run(api, workload.orders(), options.concurrency(), options.rate(), out);
            Cost cost = before.cost(workload.orders().size());

            out.println("audit: reading stock, wallets, orders and order lists back...");
            Map<String, Workload.Product> catalog = workload.catalog();
            Audit.Verdict verdict = Audit.run(api, new Audit.Expected(plan.stock(), plan.credits(), catalog,
                            replay.outcomes(), options.flashSale().map(sale -> FlashSaleWorkload.productId(options.seed()))),
                    options.concurrency(), out);
            List<Audit.Breach> breaches = verdict.breaches();
            breaches.forEach(breach -> out.println("BREACH " + breach));

            Report report = Report.of(options, started.toString(), workload, plan, loadMs, replay, cost, verdict,
                    Duration.ofNanos(System.nanoTime() - start).toMillis());
            report.print(out);
            List<Path> files = report.write(options.outDir());
            out.println("report      " + files.get(0) + ", " + files.get(1));
            return new Result(breaches.isEmpty() ? BOOKS_BALANCE : AUDIT_BREACH, Optional.of(report));
        } catch (DemoException | IOException e) {
            out.println();
            out.println("demo failed: " + e.getMessage());
            return new Result(COULD_NOT_RUN, Optional.empty());
        }
    }

    private static Workload workload(DemoOptions options) throws IOException {
        if (options.flashSale().isPresent()) {
            return FlashSaleWorkload.generate(options.flashSale().get().buyers(), options.seed());
        }
        if (options.csv().isPresent()) {
            Path csv = options.csv().get();
            if (!Files.isRegularFile(csv)) {
                throw new DemoException("no such CSV file: " + csv.toAbsolutePath());
            }
            return OnlineRetailCsv.read(csv, options.maxOrders());
        }
        return SyntheticWorkload.generate(options.orders(), options.seed());
    }

    /** A flash sale stocks exactly its units and credits every buyer; other workloads take the default policies. */
    private static LoadPlan plan(DemoOptions options, Workload workload) {
        return options.flashSale()
                .map(sale -> LoadPlan.of(workload, new LoadPlan.ExactStock(sale.units()), new LoadPlan.FullCredit()))
                .orElseGet(() -> LoadPlan.of(workload, new LoadPlan.StockFraction(options.stockFraction()),
                        new LoadPlan.SeededHalfCredit(options.seed())));
    }
}
