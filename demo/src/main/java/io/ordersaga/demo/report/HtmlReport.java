package io.ordersaga.demo.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link Report} as one self-contained HTML page: inline CSS and two inline SVG charts (latency
 * histogram, orders reaching a terminal state per second), no script and nothing fetched from elsewhere.
 */
public final class HtmlReport {

    /** Breaches listed in the page; report.json holds all of them. */
    static final int MAX_BREACHES_SHOWN = 500;

    private static final int WIDTH = 720;
    private static final int HEIGHT = 240;
    private static final int LEFT = 56;
    private static final int BOTTOM = 36;
    private static final int TOP = 12;

    private HtmlReport() {
    }

    /**
     * Renders the page.
     *
     * @param report the report
     * @return the HTML document
     */
    static String render(Report report) {
        StringBuilder h = new StringBuilder(16_384);
        Report.Run run = report.run();
        Report.Orders orders = report.orders();
        Report.Latency latency = report.latency();
        Report.AuditResult audit = report.audit();
        h.append("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>OrderSaga demo report</title>
                <style>
                body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:780px;color:#222}
                h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ddd}
                table{border-collapse:collapse}td,th{padding:2px 12px 2px 0;text-align:left;vertical-align:top}
                td.n{text-align:right;font-variant-numeric:tabular-nums}
                .pass{color:#0a7d32;font-weight:bold}.fail{color:#b3261e;font-weight:bold}
                svg{background:#fafafa;border:1px solid #eee}svg text{font:11px system-ui,sans-serif;fill:#555}
                </style></head><body>
                <h1>OrderSaga demo report</h1>
                """);
        h.append("<p>").append(esc(run.workload())).append("<br>").append(esc(run.mode())).append(", order-api ")
                .append(esc(run.apiUrl())).append(", started ").append(esc(run.startedAt())).append("</p>\n");
        h.append("<p class=\"").append(audit.passed() ? "pass\">Audit passed: the books balance." : "fail\">Audit failed: "
                + audit.breaches().size() + " breaches.").append("</p>\n");

        h.append("<h2>Orders</h2>\n<table>\n");
        row(h, "submitted", orders.submitted());
        row(h, "accepted", orders.accepted());
        orders.refusedByStatus().forEach((status, n) -> row(h, "refused, HTTP " + status + " (e.g. "
                + orders.refusedExamples().get(status) + ")", n));
        if (orders.unanswered() > 0) {
            row(h, "unanswered", orders.unanswered());
        }
        row(h, "confirmed", orders.confirmed());
        row(h, "cancelled", orders.cancelled());
        orders.cancelledByReason().forEach((reason, n) -> row(h, "- " + reason, n));
        row(h, "rejected", orders.rejected());
        orders.rejectedByReason().forEach((reason, n) -> row(h, "- " + reason, n));
        if (orders.unfinished() > 0) {
            row(h, "unfinished (no terminal state in time)", orders.unfinished());
        }
        h.append("</table>\n");

        h.append("<h2>Throughput and latency</h2>\n<table>\n");
        text(h, "orders/s", String.format(Locale.ROOT, "%.1f", report.throughput().ordersPerSecond()));
        text(h, "replay wall time", Report.seconds(report.throughput().replayWallTimeMs() * 1_000_000));
        text(h, "total wall time (load, replay, audit)", Report.seconds(run.totalWallTimeMs() * 1_000_000));
        text(h, "latency POST &rarr; terminal, p50 / p95 / p99 / max", String.format(Locale.ROOT,
                "%.1f / %.1f / %.1f / %.1f ms", latency.p50Ms(), latency.p95Ms(), latency.p99Ms(), latency.maxMs()));
        Cost cost = report.cost();
        text(h, "CPU per order, machine-wide (all processes)", cost.cpuMsPerOrder() < 0 ? "unknown"
                : String.format(Locale.ROOT, "%.2f ms (%.1f CPU-s over %s)", cost.cpuMsPerOrder(), cost.cpuSeconds(),
                Report.seconds(cost.wallMs() * 1_000_000)));
        text(h, "GC time of the demo's JVM", String.format(Locale.ROOT, "%,d ms", cost.gcMs()));
        text(h, "records per order (application and Kafka Streams topics, transaction markers included)",
                cost.recordsPerOrder() < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f", cost.recordsPerOrder()));
        text(h, "records per order in Kafka's own topics (offsets, transaction state)",
                cost.kafkaInternalPerOrder() < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f", cost.kafkaInternalPerOrder()));
        h.append("</table>\n<h3>Latency histogram (").append(latency.orders()).append(" orders)</h3>\n");
        histogram(h, latency);
        h.append("<h3>Orders reaching a terminal state, per second of replay</h3>\n");
        timeline(h, report.throughput().terminalPerSecond());

        if (report.flashSale() != null) {
            flashSale(h, report.flashSale());
        }

        Report.Load load = report.load();
        h.append("<h2>Workload</h2>\n<table>\n");
        row(h, "products (catalog, stocked)", load.products());
        row(h, "initial stock, units (" + run.stockPolicy() + ")", load.stockUnits());
        row(h, "customers credited (" + run.walletPolicy() + ")", load.customers());
        text(h, "credited in all", Report.pounds(load.creditedPence()));
        text(h, "load until visible", Report.seconds(load.loadMs() * 1_000_000));
        load.skippedLines().forEach((reason, n) -> row(h, "skipped lines: " + reason, n));
        row(h, "skipped cancellation invoices", load.cancellationInvoices());
        row(h, "invoices without a valid line", load.invoicesWithoutValidLine());
        h.append("</table>\n");

        h.append("<h2>Audit</h2>\n<p>").append(audit.products()).append(" products, ").append(audit.customers())
                .append(" wallets and order lists, ").append(audit.orders()).append(" accepted orders.</p>\n");
        if (!audit.passed()) {
            h.append("<table>\n");
            audit.byKind().forEach((kind, n) -> row(h, kind.name(), n));
            h.append("</table>\n<ul>\n");
            audit.breaches().stream().limit(MAX_BREACHES_SHOWN)
                    .forEach(b -> h.append("<li>").append(esc(b.toString())).append("</li>\n"));
            if (audit.breaches().size() > MAX_BREACHES_SHOWN) {
                h.append("<li>... and ").append(audit.breaches().size() - MAX_BREACHES_SHOWN)
                        .append(" more in report.json</li>\n");
            }
            h.append("</ul>\n");
        }
        return h.append("</body></html>\n").toString();
    }

    private static void flashSale(StringBuilder h, Report.FlashSaleResult f) {
        h.append("<h2>Flash sale: ").append(esc(f.productId())).append("</h2>\n<table>\n");
        row(h, "units stocked", f.units());
        row(h, "buyers (one order of 1 unit each)", f.buyers());
        row(h, "units that must sell, min(units, buyers)", f.mustSell());
        row(h, "units sold (inventory)", f.unitsSold());
        row(h, "oversold", f.oversold());
        row(h, "orders confirmed", f.confirmed());
        row(h, "orders cancelled OUT_OF_STOCK", f.cancelledOutOfStock());
        text(h, "first POST &rarr; last terminal state", String.format(Locale.ROOT, "%.1f ms",
                f.firstPostToLastTerminalMs()));
        for (Map.Entry<String, Report.Latency> group : List.of(Map.entry("CONFIRMED", f.confirmedLatency()),
                Map.entry("OUT_OF_STOCK", f.outOfStockLatency()))) {
            Report.Latency l = group.getValue();
            text(h, "latency of the " + l.orders() + " " + group.getKey() + ", p50 / p95 / p99 / max",
                    String.format(Locale.ROOT, "%.1f / %.1f / %.1f / %.1f ms", l.p50Ms(), l.p95Ms(), l.p99Ms(),
                            l.maxMs()));
        }
        h.append("</table>\n");
    }

    private static void histogram(StringBuilder h, Report.Latency latency) {
        List<Report.Bin> bins = latency.histogram();
        long peak = bins.stream().mapToLong(Report.Bin::orders).max().orElse(0);
        openSvg(h, "latency histogram");
        if (bins.isEmpty()) {
            closeSvg(h);
            return;
        }
        double plotWidth = WIDTH - LEFT - 10;
        double barWidth = plotWidth / bins.size();
        double upper = bins.get(Math.min(bins.size(), Report.HISTOGRAM_BINS) - 1).toMs();
        for (int i = 0; i < bins.size(); i++) {
            Report.Bin bin = bins.get(i);
            double barHeight = peak == 0 ? 0 : (HEIGHT - TOP - BOTTOM) * (double) bin.orders() / peak;
            h.append(String.format(Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%.1f-%.1f ms: %d</title></rect>%n",
                    LEFT + i * barWidth + 0.5, HEIGHT - BOTTOM - barHeight, Math.max(1, barWidth - 1), barHeight,
                    i < Report.HISTOGRAM_BINS ? "#4a78c2" : "#c27b4a", bin.fromMs(), bin.toMs(), bin.orders()));
        }
        for (Map.Entry<String, Double> mark : Map.of("p50", latency.p50Ms(), "p95", latency.p95Ms(),
                "p99", latency.p99Ms()).entrySet()) {
            double x = LEFT + barWidth * Report.HISTOGRAM_BINS * Math.min(1, mark.getValue() / upper);
            h.append(String.format(Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#b3261e\" stroke-dasharray=\"3,3\"/>"
                            + "<text x=\"%.1f\" y=\"%d\">%s</text>%n",
                    x, TOP, x, HEIGHT - BOTTOM, x + 3, TOP + 10, mark.getKey()));
        }
        axes(h, "0 ms", String.format(Locale.ROOT, "%.0f ms", upper) + (bins.size() > Report.HISTOGRAM_BINS
                ? String.format(Locale.ROOT, " (last bar: up to %.0f ms)", latency.maxMs()) : ""), peak + " orders");
        closeSvg(h);
    }

    private static void timeline(StringBuilder h, List<Long> perSecond) {
        long peak = perSecond.stream().mapToLong(Long::longValue).max().orElse(0);
        openSvg(h, "orders per second");
        if (!perSecond.isEmpty()) {
            double plotWidth = WIDTH - LEFT - 10;
            double step = plotWidth / Math.max(1, perSecond.size());
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < perSecond.size(); i++) {
                double y = HEIGHT - BOTTOM - (peak == 0 ? 0 : (HEIGHT - TOP - BOTTOM) * (double) perSecond.get(i) / peak);
                points.append(String.format(Locale.ROOT, "%.1f,%.1f %.1f,%.1f ", LEFT + i * step, y,
                        LEFT + (i + 1) * step, y));
            }
            h.append("<polyline fill=\"none\" stroke=\"#4a78c2\" stroke-width=\"2\" points=\"").append(points)
                    .append("\"/>\n");
            axes(h, "0 s", perSecond.size() + " s", peak + " orders/s");
        }
        closeSvg(h);
    }

    private static void openSvg(StringBuilder h, String label) {
        h.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">%n",
                WIDTH, HEIGHT, WIDTH, HEIGHT, label));
    }

    private static void closeSvg(StringBuilder h) {
        h.append("</svg>\n");
    }

    private static void axes(StringBuilder h, String xMin, String xMax, String yMax) {
        h.append(String.format(Locale.ROOT,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>"
                        + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>%n",
                LEFT, HEIGHT - BOTTOM, WIDTH - 10, HEIGHT - BOTTOM, LEFT, TOP, LEFT, HEIGHT - BOTTOM));
        h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", LEFT, HEIGHT - BOTTOM + 16, esc(xMin)));
        h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", WIDTH - 10,
                HEIGHT - BOTTOM + 16, esc(xMax)));
        h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", LEFT - 4,
                TOP + 10, esc(yMax.replace(" orders", ""))));
    }

    private static void row(StringBuilder h, String label, long value) {
        h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td class=\"n\">%,d</td></tr>%n", esc(label), value));
    }

    /** A row whose label is HTML already. */
    private static void text(StringBuilder h, String label, String value) {
        h.append("<tr><td>").append(label).append("</td><td class=\"n\">").append(esc(value)).append("</td></tr>\n");
    }

    /** HTML-escapes text. */
    static String esc(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
