package io.ordersaga.demo;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the demo loads before replaying a workload, by policy, so that the saga meets both of its failure paths:
 * <ul>
 *   <li>Stock: each product gets one stock adjustment of {@code ceil(stockFraction x units demanded by the
 *       workload)} units (none when that is 0). With the default fraction 0.8 the popular products run out.</li>
 *   <li>Wallets: each customer is credited the value of all their orders at catalog prices (pence), except a
 *       seeded 10 % of customers ({@code floor(customers / 10)}, drawn by shuffling the customer ids in sorted
 *       order with {@code new Random(seed)}) who get half of it, rounded down, so some payments are declined.
 *       No credit is sent when the amount is 0.</li>
 * </ul>
 *
 * @param stock   units per product id, in catalog order
 * @param credits pence per customer id, in sorted customer order
 */
record LoadPlan(Map<String, Long> stock, Map<String, Long> credits) {

    /** Share of customers credited half their orders' value. */
    static final int HALF_CREDITED_PERCENT = 10;

    /**
     * Applies the policies.
     *
     * @param workload      the workload
     * @param stockFraction initial stock as a fraction of the units demanded, {@code >= 0}
     * @param seed          draws which customers are half-credited
     * @return the plan
     */
    static LoadPlan of(Workload workload, double stockFraction, long seed) {
        Map<String, Workload.Product> catalog = workload.catalog();
        Map<String, Long> demand = new LinkedHashMap<>();
        catalog.keySet().forEach(id -> demand.put(id, 0L));
        Map<String, Long> value = new TreeMap<>();
        for (Workload.Order order : workload.orders()) {
            for (Workload.Line line : order.lines()) {
                demand.merge(line.productId(), (long) line.quantity(), Long::sum);
            }
            value.merge(order.customerId(), orderValue(order, catalog), Long::sum);
        }
        BigDecimal fraction = BigDecimal.valueOf(stockFraction);
        Map<String, Long> stock = new LinkedHashMap<>();
        demand.forEach((id, units) -> stock.put(id,
                fraction.multiply(BigDecimal.valueOf(units)).setScale(0, RoundingMode.CEILING).longValueExact()));

        List<String> customers = new ArrayList<>(value.keySet());
        Collections.shuffle(customers, new Random(seed));
        Set<String> halfCredited = new HashSet<>(customers.subList(0, customers.size() * HALF_CREDITED_PERCENT / 100));
        Map<String, Long> credits = new LinkedHashMap<>();
        value.forEach((customer, pence) -> credits.put(customer, halfCredited.contains(customer) ? pence / 2 : pence));
        return new LoadPlan(stock, credits);
    }

    /**
     * The value of an order at catalog prices.
     *
     * @param order   the order
     * @param catalog prices by product id; must hold every product of the order
     * @return sum of quantity x unit price, in pence
     */
    static long orderValue(Workload.Order order, Map<String, Workload.Product> catalog) {
        long total = 0;
        for (Workload.Line line : order.lines()) {
            total = Math.addExact(total, Math.multiplyExact(line.quantity(), catalog.get(line.productId()).unitPrice()));
        }
        return total;
    }

    /** Total units of stock over all products. */
    long totalStock() {
        return stock.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Total pence credited over all customers. */
    long totalCredits() {
        return credits.values().stream().mapToLong(Long::longValue).sum();
    }
}
