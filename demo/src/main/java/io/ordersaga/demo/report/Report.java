package io.ordersaga.demo.report;

import io.ordersaga.demo.DemoOptions;
import io.ordersaga.demo.audit.Audit;
import io.ordersaga.demo.client.OrderApi;
import io.ordersaga.demo.run.LoadPlan;
import io.ordersaga.demo.run.Outcome;
import io.ordersaga.demo.run.Replay;
import io.ordersaga.demo.workload.FlashSaleWorkload;
import io.ordersaga.demo.workload.SkipReason;
import io.ordersaga.demo.workload.Workload;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The demo's findings: what was replayed, how the orders ended, throughput, latency and the audit. Written as
 * {@code report.json} (this record, field for field) and {@code report.html} ({@link HtmlReport}), and printed.
 * Times are ms, money pence.
 *
 * @param run        how the demo ran
 * @param load       what was loaded and skipped
 * @param orders     how the orders ended
 * @param throughput orders per second
 * @param latency    POST to terminal state
 * @param flashSale  a flash sale's figures; null for other workloads
 * @param cost       what the replay cost the machine and Kafka ({@link CostMeter})
 * @param audit      the audit's verdict
 */
public record Report(Run run, Load load, Orders orders, Throughput throughput, Latency latency, FlashSaleResult flashSale,
                     Cost cost, AuditResult audit) {

    /** report.json's writer: indented, with Jackson 2's defaults (fields in declaration order, not sorted). */
    private static final ObjectMapper JSON = JsonMapper.builderWithJackson2Defaults()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    /** Latency histogram bins below the overflow bin. */
    public static final int HISTOGRAM_BINS = 40;

    /**
     * How the demo ran.
     *
     * @param workload       the workload's description
     * @param startedAt      ISO-8601 instant the demo started
     * @param apiUrl         order-api's base URL
     * @param mode           {@code closed loop, C in flight} or {@code paced, R orders/s}
     * @param stockPolicy    how the initial stock was chosen ({@link LoadPlan.StockPolicy#describe()})
     * @param walletPolicy   how the wallet credits were chosen ({@link LoadPlan.WalletPolicy#describe()})
     * @param seed           seed of the workload and of the wallet policy
     * @param totalWallTimeMs load, replay and audit, in ms
     */
    public record Run(String workload, String startedAt, String apiUrl, String mode, String stockPolicy, String walletPolicy,
                      long seed, long totalWallTimeMs) {
    }

    /**
     * What was loaded, and what the source could not replay.
     *
     * @param products                 products PUT (and stocked when their stock is above 0)
     * @param stockUnits               units of initial stock over all products
     * @param customers                customers credited
     * @param creditedPence            pence credited over all customers
     * @param skippedLines             source lines skipped, by reason
     * @param cancellationInvoices     cancellation invoices skipped
     * @param invoicesWithoutValidLine other invoices without a replayable line
     * @param loadMs                   loading until visible, in ms
     */
    public record Load(int products, long stockUnits, int customers, long creditedPence, Map<SkipReason, Long> skippedLines,
                       long cancellationInvoices, long invoicesWithoutValidLine, long loadMs) {
    }

    /**
     * How the orders ended.
     *
     * @param submitted         orders POSTed
     * @param accepted          answered 202 with an orderId
     * @param refusedByStatus   refused, by HTTP status
     * @param refusedExamples   the first problem detail seen for each refusing status
     * @param unanswered        POSTs without any answer after the retries
     * @param confirmed         ended CONFIRMED
     * @param cancelledByReason ended CANCELLED, by reason
     * @param rejectedByReason  ended REJECTED, by reason
     * @param unfinished        accepted but not terminal by the per-order deadline
     */
    public record Orders(int submitted, int accepted, Map<Integer, Long> refusedByStatus, Map<Integer, String> refusedExamples,
                         long unanswered, long confirmed, Map<String, Long> cancelledByReason,
                         Map<String, Long> rejectedByReason, long unfinished) {

        /** Orders that ended CANCELLED. */
        long cancelled() {
            return sum(cancelledByReason);
        }

        /** Orders that ended REJECTED. */
        long rejected() {
            return sum(rejectedByReason);
        }

        /** Orders refused by order-api. */
        long refused() {
            return refusedByStatus.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * Orders per second.
     *
     * @param ordersPerSecond    orders that reached a terminal state per second of replay
     * @param replayWallTimeMs   first POST to last terminal state, in ms
     * @param terminalPerSecond  orders reaching a terminal state in each second of the replay
     */
    public record Throughput(double ordersPerSecond, long replayWallTimeMs, List<Long> terminalPerSecond) {
    }

    /**
     * Latency from sending {@code POST /orders} to receiving the terminal state, over orders that reached one.
     *
     * @param orders    orders measured
     * @param p50Ms     median, nearest rank, in ms
     * @param p95Ms     95th percentile, in ms
     * @param p99Ms     99th percentile, in ms
     * @param maxMs     maximum, in ms
     * @param meanMs    mean, in ms
     * @param histogram {@value #HISTOGRAM_BINS} equal bins from 0 to just above p99, then one bin up to the maximum
     */
    public record Latency(int orders, double p50Ms, double p95Ms, double p99Ms, double maxMs, double meanMs,
                          List<Bin> histogram) {
    }

    /**
     * One histogram bin, [fromMs, toMs).
     *
     * @param fromMs lower bound, in ms
     * @param toMs   upper bound, in ms (inclusive for the last bin)
     * @param orders orders in the bin
     */
    public record Bin(double fromMs, double toMs, long orders) {
    }

    /**
     * A flash sale ({@code --flash-sale BUYERS:UNITS}): how its one hot product sold.
     *
     * @param productId                 the hot product
     * @param units                     units stocked
     * @param buyers                    buyers, one order of 1 unit each
     * @param mustSell                  {@code min(units, buyers)}: the units that must sell, exactly
     * @param unitsSold                 the product's {@code sold} as inventory-streams shows it at the audit's last
     *                                  read
     * @param oversold                  {@code max(0, max(unitsSold, confirmed) - units)}: units sold or confirmed
     *                                  beyond the stock; 0 when the stock holds
     * @param confirmed                 orders that ended CONFIRMED (as the long poll returned them)
     * @param cancelledOutOfStock       orders that ended CANCELLED with reason OUT_OF_STOCK
     * @param firstPostToLastTerminalMs from sending the first POST to receiving the last terminal state, over the
     *                                  orders that reached one, in ms (0.1 ms)
     * @param confirmedLatency          POST to terminal state of the CONFIRMED orders
     * @param outOfStockLatency         POST to terminal state of the orders cancelled OUT_OF_STOCK
     */
    public record FlashSaleResult(String productId, long units, long buyers, long mustSell, long unitsSold, long oversold,
                                  long confirmed, long cancelledOutOfStock, double firstPostToLastTerminalMs,
                                  Latency confirmedLatency, Latency outOfStockLatency) {
    }

    /**
     * The audit's verdict.
     *
     * @param passed    no breach
     * @param products  products audited
     * @param customers wallets and order lists audited
     * @param orders    accepted orders audited
     * @param byKind    breaches per kind (kinds without breach left out)
     * @param breaches  every breach
     */
    public record AuditResult(boolean passed, int products, int customers, long orders, Map<Audit.Kind, Long> byKind,
                              List<Audit.Breach> breaches) {
    }

    /**
     * Builds the report.
     *
     * @param options         the options the demo ran with
     * @param startedAt       ISO-8601 instant the demo started
     * @param workload        the workload
     * @param plan            what was loaded
     * @param loadMs          loading until visible, in ms
     * @param replay          the replay's outcomes
     * @param cost            what the replay cost
     * @param verdict         the audit's breaches and last read (the flash sale's units sold)
     * @param totalWallTimeMs load, replay and audit, in ms
     * @return the report
     */
    public static Report of(DemoOptions options, String startedAt, Workload workload, LoadPlan plan, long loadMs,
                            Replay.Result replay, Cost cost, Audit.Verdict verdict, long totalWallTimeMs) {
        String mode = options.rate() > 0
                ? String.format(Locale.ROOT, "paced, %.1f orders/s", options.rate())
                : "closed loop, " + options.concurrency() + " in flight";
        Run run = new Run(workload.description(), startedAt, options.apiUrl().toString(), mode,
                plan.stockPolicy().describe(), plan.walletPolicy().describe(), options.seed(), totalWallTimeMs);
        Workload.Skipped skipped = workload.skipped();
        Load load = new Load(plan.stock().size(), plan.totalStock(), plan.credits().size(), plan.totalCredits(),
                skipped.lines(), skipped.cancellationInvoices(), skipped.invoicesWithoutValidLine(), loadMs);

        Map<Integer, Long> refused = new TreeMap<>();
        Map<Integer, String> refusedExamples = new TreeMap<>();
        Map<String, Long> cancelled = new TreeMap<>();
        Map<String, Long> rejected = new TreeMap<>();
        long unanswered = 0;
        long confirmed = 0;
        long unfinished = 0;
        List<Long> latencies = new ArrayList<>();
        List<Long> terminalPerSecond = new ArrayList<>();
        for (Outcome outcome : replay.outcomes()) {
            switch (outcome) {
                case Outcome.Refused r -> {
                    refused.merge(r.status(), 1L, Long::sum);
                    refusedExamples.putIfAbsent(r.status(), r.detail());
                }
                case Outcome.Unanswered u -> unanswered++;
                case Outcome.Unfinished u -> unfinished++;
                case Outcome.Terminal t -> {
                    String reason = t.view().reason() == null ? "UNKNOWN" : t.view().reason();
                    switch (t.view().status()) {
                        case "CONFIRMED" -> confirmed++;
                        case "CANCELLED" -> cancelled.merge(reason, 1L, Long::sum);
                        default -> rejected.merge(reason, 1L, Long::sum);
                    }
                    latencies.add(t.latencyMicros());
                    int second = (int) ((t.submittedMicros() + t.latencyMicros()) / 1_000_000);
                    while (terminalPerSecond.size() <= second) {
                        terminalPerSecond.add(0L);
                    }
                    terminalPerSecond.set(second, terminalPerSecond.get(second) + 1);
                }
            }
        }
        int submitted = replay.outcomes().size();
        long refusedCount = refused.values().stream().mapToLong(Long::longValue).sum();
        int accepted = (int) (submitted - refusedCount - unanswered);
        Orders orders = new Orders(submitted, accepted, refused, refusedExamples, unanswered, confirmed, cancelled,
                rejected, unfinished);
        Throughput throughput = new Throughput(
                latencies.size() / Math.max(1e-3, replay.wallTimeMs() / 1000.0), replay.wallTimeMs(), terminalPerSecond);

        List<Audit.Breach> breaches = verdict.breaches();
        Map<Audit.Kind, Long> byKind = breaches.stream()
                .collect(Collectors.groupingBy(Audit.Breach::kind, () -> new EnumMap<>(Audit.Kind.class),
                        Collectors.counting()));
        AuditResult audit = new AuditResult(breaches.isEmpty(), plan.stock().size(), plan.credits().size(),
                accepted, byKind, breaches);
        FlashSaleResult flashSale = options.flashSale()
                .map(sale -> flashSale(sale, FlashSaleWorkload.productId(options.seed()), replay, verdict))
                .orElse(null);
        return new Report(run, load, orders, throughput, latency(latencies), flashSale, cost, audit);
    }

    private static FlashSaleResult flashSale(DemoOptions.FlashSale sale, String productId, Replay.Result replay,
                                             Audit.Verdict verdict) {
        List<Long> confirmed = new ArrayList<>();
        List<Long> outOfStock = new ArrayList<>();
        long firstPostMicros = Long.MAX_VALUE;
        long lastTerminalMicros = Long.MIN_VALUE;
        for (Outcome outcome : replay.outcomes()) {
            if (outcome instanceof Outcome.Terminal t) {
                firstPostMicros = Math.min(firstPostMicros, t.submittedMicros());
                lastTerminalMicros = Math.max(lastTerminalMicros, t.submittedMicros() + t.latencyMicros());
                if ("CONFIRMED".equals(t.view().status())) {
                    confirmed.add(t.latencyMicros());
                } else if ("CANCELLED".equals(t.view().status()) && "OUT_OF_STOCK".equals(t.view().reason())) {
                    outOfStock.add(t.latencyMicros());
                }
            }
        }
        OrderApi.Stock stock = verdict.observed().stock().get(productId);
        long unitsSold = stock == null ? 0 : stock.sold();
        long oversold = Math.max(0, Math.max(unitsSold, confirmed.size()) - sale.units());
        return new FlashSaleResult(productId, sale.units(), sale.buyers(), sale.mustSell(), unitsSold, oversold,
                confirmed.size(), outOfStock.size(),
                firstPostMicros == Long.MAX_VALUE ? 0 : ms(lastTerminalMicros - firstPostMicros),
                latency(confirmed), latency(outOfStock));
    }

    private static Latency latency(List<Long> micros) {
        long[] sorted = micros.stream().mapToLong(Long::longValue).sorted().toArray();
        if (sorted.length == 0) {
            return new Latency(0, 0, 0, 0, 0, 0, List.of());
        }
        long p99 = Percentiles.nearestRank(sorted, 99);
        long max = sorted[sorted.length - 1];
        double width = Math.max(1, Math.ceil(p99 * 1.05 / HISTOGRAM_BINS)); // whole microseconds
        long[] counts = new long[HISTOGRAM_BINS + 1];
        for (long value : sorted) {
            counts[(int) Math.min(HISTOGRAM_BINS, value / width)]++;
        }
        List<Bin> bins = new ArrayList<>();
        for (int i = 0; i < HISTOGRAM_BINS; i++) {
            bins.add(new Bin(i * width / 1000, (i + 1) * width / 1000, counts[i]));
        }
        if (counts[HISTOGRAM_BINS] > 0) {
            bins.add(new Bin(HISTOGRAM_BINS * width / 1000, max / 1000.0, counts[HISTOGRAM_BINS]));
        }
        return new Latency(sorted.length, ms(Percentiles.nearestRank(sorted, 50)),
                ms(Percentiles.nearestRank(sorted, 95)), ms(p99), ms(max),
                ms(Arrays.stream(sorted).average().orElse(0)), bins);
    }

    /** Microseconds to ms, rounded to 0.1 ms. */
    private static double ms(double micros) {
        return Math.round(micros / 100) / 10.0;
    }

    private static long sum(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Writes {@code report.json} and {@code report.html}, creating the directory.
     *
     * @param dir the output directory
     * @return the two files written
     * @throws IOException when they cannot be written
     */
    public List<Path> write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path json = dir.resolve("report.json");
        Path html = dir.resolve("report.html");
        Files.writeString(json, JSON.writeValueAsString(this), StandardCharsets.UTF_8);
        Files.writeString(html, HtmlReport.render(this), StandardCharsets.UTF_8);
        return List.of(json, html);
    }

    /**
     * Prints the summary, a few lines.
     *
     * @param out where to print
     */
    public void print(PrintStream out) {
        out.println("== " + run.workload() + ", " + run.mode() + " ==");
        out.printf(Locale.ROOT, "orders      submitted %,d  accepted %,d  refused %,d%s%s%n", orders.submitted(),
                orders.accepted(), orders.refused(), orders.refused() == 0 ? "" : " " + refusals(),
                orders.unanswered() == 0 ? "" : String.format(Locale.ROOT, "  unanswered %,d", orders.unanswered()));
        out.printf(Locale.ROOT, "            confirmed %,d  cancelled %,d%s  rejected %,d%s%s%n", orders.confirmed(),
                orders.cancelled(), byReason(orders.cancelledByReason()), orders.rejected(),
                byReason(orders.rejectedByReason()),
                orders.unfinished() == 0 ? "" : String.format(Locale.ROOT, "  unfinished %,d", orders.unfinished()));
        out.printf(Locale.ROOT, "throughput  %.1f orders/s over %s of replay; %s in all%n",
                throughput.ordersPerSecond(), seconds(throughput.replayWallTimeMs() * 1_000_000),
                seconds(run.totalWallTimeMs() * 1_000_000));
        out.printf(Locale.ROOT, "latency     POST -> terminal: p50 %.1f ms  p95 %.1f ms  p99 %.1f ms  max %.1f ms%n",
                latency.p50Ms(), latency.p95Ms(), latency.p99Ms(), latency.maxMs());
        out.printf(Locale.ROOT, "cost        CPU %s per order (machine-wide, %s over the replay), GC %,d ms; records per order %s"
                        + " (+ %s in Kafka's own topics), transaction markers included%n",
                cost.cpuMsPerOrder() < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f ms", cost.cpuMsPerOrder()),
                cost.cpuSeconds() < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f CPU-s", cost.cpuSeconds()),
                cost.gcMs(), cost.recordsPerOrder() < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f", cost.recordsPerOrder()),
                cost.kafkaInternalPerOrder() < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f", cost.kafkaInternalPerOrder()));
        if (flashSale != null) {
            FlashSaleResult f = flashSale;
            out.printf(Locale.ROOT, "flash sale  %s: %,d units for %,d buyers: sold %,d (must be min(units, buyers) = %,d)"
                            + "  oversold %,d%n", f.productId(), f.units(), f.buyers(), f.unitsSold(), f.mustSell(),
                    f.oversold());
            out.printf(Locale.ROOT, "            confirmed %,d  cancelled OUT_OF_STOCK %,d  first POST -> last terminal"
                    + " state %.1f ms%n", f.confirmed(), f.cancelledOutOfStock(), f.firstPostToLastTerminalMs());
            printLatency(out, "CONFIRMED", f.confirmedLatency());
            printLatency(out, "OUT_OF_STOCK", f.outOfStockLatency());
        }
        out.printf(Locale.ROOT, audit.passed()
                        ? "audit       PASSED: the books balance over %,d products, %,d wallets and %,d orders%n"
                        : "audit       FAILED: " + audit.breaches().size() + " breaches " + audit.byKind()
                        + " over %,d products, %,d wallets and %,d orders%n",
                audit.products(), audit.customers(), audit.orders());
    }

    private static void printLatency(PrintStream out, String status, Latency l) {
        out.printf(Locale.ROOT, "            latency of the %,d %s: p50 %.1f ms  p95 %.1f ms  p99 %.1f ms  max %.1f ms%n",
                l.orders(), status, l.p50Ms(), l.p95Ms(), l.p99Ms(), l.maxMs());
    }

    private String refusals() {
        return orders.refusedByStatus().entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue() + ", e.g. \"" + orders.refusedExamples().get(e.getKey())
                        + "\"")
                .collect(Collectors.joining("; ", "(", ")"));
    }

    private static String byReason(Map<String, Long> counts) {
        return counts.isEmpty() ? "" : counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", ", " (", ")"));
    }

    /**
     * Formats a duration.
     *
     * @param nanos duration in ns
     * @return for example {@code 1.2 s}
     */
    public static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    /**
     * Formats money.
     *
     * @param pence amount in pence
     * @return for example {@code £1,234.56}
     */
    public static String pounds(long pence) {
        return String.format(Locale.ROOT, "£%,d.%02d", pence / 100, Math.abs(pence % 100));
    }
}
