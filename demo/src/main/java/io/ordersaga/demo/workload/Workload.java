package io.ordersaga.demo.workload;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A workload to replay: the catalog the orders need, the orders in replay order, and what the source could not
 * turn into either.
 *
 * @param description one line naming the source, for the report
 * @param products    the catalog: every product some order asks for, each once, in first-use order
 * @param orders      the orders, in replay order
 * @param skipped     what was left out of the source, by reason
 */
public record Workload(String description, List<Product> products, List<Order> orders, Skipped skipped) {

    /**
     * A catalog entry, registered with {@code PUT /products/{productId}}.
     *
     * @param productId the product id (the retailer's StockCode); the key of its stock record
     * @param name      display name, never blank
     * @param unitPrice price of one unit in pence, {@code > 0}
     */
    public record Product(String productId, String name, long unitPrice) {
    }

    /**
     * One requested line of an order.
     *
     * @param productId a product of the workload's catalog
     * @param quantity  units, {@code >= 1}
     */
    public record Line(String productId, int quantity) {
    }

    /**
     * One order, sent as one {@code POST /orders}.
     *
     * @param idempotencyKey the Idempotency-Key header (the InvoiceNo for the real workload), unique in the workload
     * @param customerId     who orders and pays; the key of the customer's wallet
     * @param lines          at least one line
     */
    public record Order(String idempotencyKey, String customerId, List<Line> lines) {
    }

    /**
     * What a source could not replay.
     *
     * @param lines                    source lines skipped, by reason (every reason present, zero when none)
     * @param cancellationInvoices     cancellation invoices (InvoiceNo starting with C), skipped whole
     * @param invoicesWithoutValidLine other invoices none of whose lines the catalog could take, so not replayed
     */
    public record Skipped(Map<SkipReason, Long> lines, long cancellationInvoices, long invoicesWithoutValidLine) {

        /** Nothing skipped: the synthetic workload. */
        public static Skipped none() {
            Map<SkipReason, Long> zero = new EnumMap<>(SkipReason.class);
            for (SkipReason reason : SkipReason.values()) {
                zero.put(reason, 0L);
            }
            return new Skipped(zero, 0, 0);
        }

        /** Total skipped lines over all reasons. */
        public long totalLines() {
            return lines.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** The catalog by product id, in catalog order. */
    public Map<String, Product> catalog() {
        return products.stream().collect(Collectors.toMap(Product::productId, Function.identity(),
                (a, b) -> a, LinkedHashMap::new));
    }

    /** Number of distinct customers over all orders. */
    public long customerCount() {
        return orders.stream().map(Order::customerId).distinct().count();
    }
}
