package io.ordersaga.demo.run;

import io.ordersaga.demo.workload.Workload;

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
 * What the demo loads before replaying a workload, by a stock policy and a wallet policy. The default ones make
 * the saga meet both of its failure paths:
 * <ul>
 *   <li>{@link StockFraction}: each product gets one stock adjustment of {@code ceil(stockFraction x units demanded
 *       by the workload)} units. With the default fraction 0.8 the popular products run out.</li>
 *   <li>{@link SeededHalfCredit}: each customer is credited the value of all their orders at catalog prices
 *       (pence), except a seeded 10 % of customers ({@code floor(customers / 10)}, drawn by shuffling the customer
 *       ids in sorted order with {@code new Random(seed)}) who get half of it, rounded down, so some payments are
 *       declined.</li>
 * </ul>
 * A flash sale takes {@link ExactStock} (exactly its units, whatever the demand) and {@link FullCredit} (every
 * buyer can pay), so that its only failure path is running out of stock.
 * No stock adjustment is sent for 0 units, and no credit for 0 pence.
 *
 * @param stockPolicy  how the stock was chosen
 * @param walletPolicy how the credits were chosen
 * @param stock        units per product id, in catalog order
 * @param credits      pence per customer id, in sorted customer order
 */
public record LoadPlan(StockPolicy stockPolicy, WalletPolicy walletPolicy, Map<String, Long> stock,
                       Map<String, Long> credits) {

    /** Share of customers credited half their orders' value by {@link SeededHalfCredit}. */
    static final int HALF_CREDITED_PERCENT = 10;

    /** How much initial stock each product of the workload gets. */
    public sealed interface StockPolicy {

        /**
         * One line for the report.
         *
         * @return for example {@code ceil(0.8 x units demanded) per product}
         */
        String describe();
    }

    /**
     * {@code ceil(fraction x units the workload demands of the product)} units per product.
     *
     * @param fraction {@code >= 0}
     */
    public record StockFraction(double fraction) implements StockPolicy {

        @Override
        public String describe() {
            return "ceil(" + BigDecimal.valueOf(fraction).stripTrailingZeros().toPlainString()
                    + " x units demanded) per product";
        }
    }

    /**
     * Exactly {@code units} per product, whatever the demand.
     *
     * @param units units of stock, {@code >= 0}
     */
    public record ExactStock(long units) implements StockPolicy {

        @Override
        public String describe() {
            return "exactly " + units + " units per product";
        }
    }

    /** How much each customer of the workload is credited. */
    public sealed interface WalletPolicy {

        /**
         * One line for the report.
         *
         * @return for example {@code value of their orders (a seeded 10 % half of it), seed 42}
         */
        String describe();
    }

    /**
     * The value of the customer's orders, except a seeded {@value LoadPlan#HALF_CREDITED_PERCENT} % of the customers who
     * get half of it, rounded down.
     *
     * @param seed draws the half-credited customers
     */
    public record SeededHalfCredit(long seed) implements WalletPolicy {

        @Override
        public String describe() {
            return "value of their orders (a seeded " + HALF_CREDITED_PERCENT + " % half of it), seed " + seed;
        }
    }

    /** The value of the customer's orders, for every customer: every order can be paid. */
    public record FullCredit() implements WalletPolicy {

        @Override
        public String describe() {
            return "value of their orders";
        }
    }

    /**
     * Applies the policies.
     *
     * @param workload     the workload
     * @param stockPolicy  how much stock each product gets
     * @param walletPolicy how much each customer is credited
     * @return the plan
     */
    public static LoadPlan of(Workload workload, StockPolicy stockPolicy, WalletPolicy walletPolicy) {
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
        Map<String, Long> stock = new LinkedHashMap<>();
        demand.forEach((id, units) -> stock.put(id, switch (stockPolicy) {
            case StockFraction f -> BigDecimal.valueOf(f.fraction()).multiply(BigDecimal.valueOf(units))
                    .setScale(0, RoundingMode.CEILING).longValueExact();
            case ExactStock e -> e.units();
        }));

        Set<String> halfCredited = switch (walletPolicy) {
            case SeededHalfCredit h -> {
                List<String> customers = new ArrayList<>(value.keySet());
                Collections.shuffle(customers, new Random(h.seed()));
                yield new HashSet<>(customers.subList(0, customers.size() * HALF_CREDITED_PERCENT / 100));
            }
            case FullCredit f -> Set.of();
        };
        Map<String, Long> credits = new LinkedHashMap<>();
        value.forEach((customer, pence) -> credits.put(customer, halfCredited.contains(customer) ? pence / 2 : pence));
        return new LoadPlan(stockPolicy, walletPolicy, stock, credits);
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
    public long totalStock() {
        return stock.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Total pence credited over all customers. */
    public long totalCredits() {
        return credits.values().stream().mapToLong(Long::longValue).sum();
    }
}
