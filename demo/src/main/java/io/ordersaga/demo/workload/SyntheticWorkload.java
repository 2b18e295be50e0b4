package io.ordersaga.demo.workload;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A seeded, reproducible workload whose product popularity, basket sizes, quantities and prices follow
 * distributions fitted on the real Online Retail sample by {@link WorkloadFit}, so that {@code ./ordersaga demo}
 * works on any machine, without the data file.
 *
 * <p>Constants from {@code WorkloadFit} run on {@code online-retail-sample.csv} (12,421 replayable orders,
 * 38,983 lines, 3,157 products):
 * <ul>
 *   <li>Popularity: log-normal weights {@code exp(sigma x N(0,1))}, sigma {@value #POPULARITY_SIGMA}, over a
 *       catalog of {@value #CATALOG_SIZE} products (the simulated-method-of-moments fit described in
 *       {@link WorkloadFit}; a Zipf law does not fit the sample).</li>
 *   <li>Lines per order: the empirical distribution for 1..19 lines; 20 lines or more (1.3 % of orders) as 20 plus
 *       a geometric excess of mean {@value #BASKET_TAIL_MEAN_EXCESS}.</li>
 *   <li>Quantity per line: the empirical distribution of every quantity seen on at least
 *       {@value #QUANTITY_TABLE_MIN_LINES} lines (98.6 % of lines); the other lines as a rounded log-normal,
 *       ln(quantity) mean {@value #QUANTITY_TAIL_LOG_MEAN} sd {@value #QUANTITY_TAIL_LOG_SD}.</li>
 *   <li>Unit price: log-normal in pence, ln(price) mean {@value #PRICE_LOG_MEAN} sd {@value #PRICE_LOG_SD}
 *       (over catalog prices), at least 1 penny.</li>
 *   <li>Customers: {@value #GUEST_ORDER_SHARE} of orders are guest checkouts ({@code guest-<key>}, one customer per
 *       order); the others pick uniformly among a pool of {@code orders x (1 - guest share) / }
 *       {@value #CUSTOMER_POOL_LOAD} customers, sized so that the customers who do order place
 *       {@value #ORDERS_PER_CUSTOMER} orders each on average, as in the sample (with uniform picks, a pool of
 *       {@code m / x} customers for {@code m} orders leaves {@code e^-x} of it without an order; x solves
 *       {@code (1 - e^-x) / x = 1 / }{@value #ORDERS_PER_CUSTOMER}).</li>
 * </ul>
 * Assumed independent (simplifications): product, quantity and price of a line; basket size and customer.
 * A basket never holds a product twice, and stays within order-api's limits ({@value #MAX_LINES} lines,
 * {@value #MAX_QUANTITY} units a line), which cuts off a negligible part of the two tails.
 *
 * <p>Ids carry the seed, so workloads of different seeds never share a product, customer or Idempotency-Key:
 * products {@code syn<seed>-p0001}, customers {@code syn<seed>-c0001}, orders {@code syn<seed>-o000001}.
 */
public final class SyntheticWorkload {

    /** Most lines per order: order-api refuses more (its MAX_LINES); the sample's largest order has 88. */
    static final int MAX_LINES = 100;
    /** Most units per line: order-api refuses more (its MAX_QUANTITY); the sample's largest line has 2700. */
    static final int MAX_QUANTITY = 10_000;

    /** Sigma of the log-normal product weights. */
    static final double POPULARITY_SIGMA = 0.92;
    /** Products of the popularity model (those never drawn are left out of the workload's catalog). */
    static final int CATALOG_SIZE = 3378;

    /** Orders of the sample with 1, 2, ..., 19 lines. */
    static final int[] BASKET_SIZE_ORDERS =
            {4795, 2917, 1699, 996, 609, 364, 230, 148, 127, 70, 69, 51, 42, 31, 30, 27, 21, 21, 12};
    /** First basket size of the geometric tail. */
    static final int BASKET_TAIL_FROM = BASKET_SIZE_ORDERS.length + 1;
    /** Orders of the sample with {@link #BASKET_TAIL_FROM} lines or more. */
    static final int BASKET_TAIL_ORDERS = 162;
    /** Mean of (lines - {@link #BASKET_TAIL_FROM}) over the tail orders. */
    static final double BASKET_TAIL_MEAN_EXCESS = 12.17;

    /** A quantity is in the empirical table when at least this many lines of the sample have it. */
    static final int QUANTITY_TABLE_MIN_LINES = 50;
    /** {quantity, lines of the sample with it}. */
    static final int[][] QUANTITY_LINES = {
            {1, 10825}, {2, 5906}, {3, 2749}, {4, 2899}, {5, 855}, {6, 2982}, {7, 244}, {8, 968}, {9, 154},
            {10, 1650}, {11, 81}, {12, 4560}, {15, 58}, {16, 309}, {18, 126}, {20, 357}, {24, 1789}, {25, 373},
            {30, 81}, {32, 89}, {36, 270}, {40, 82}, {48, 442}, {50, 64}, {60, 50}, {72, 132}, {96, 149},
            {100, 114}, {144, 68}};
    /** Lines of the sample whose quantity is not in the table. */
    static final int QUANTITY_TAIL_LINES = 557;
    /** Mean of ln(quantity) over the lines not in the table. */
    static final double QUANTITY_TAIL_LOG_MEAN = 4.207;
    /** Standard deviation of ln(quantity) over the lines not in the table. */
    static final double QUANTITY_TAIL_LOG_SD = 1.218;

    /** Mean of ln(unit price in pence) over the catalog. */
    static final double PRICE_LOG_MEAN = 5.246;
    /** Standard deviation of ln(unit price in pence) over the catalog. */
    static final double PRICE_LOG_SD = 1.022;

    /** Share of orders placed by guests. */
    static final double GUEST_ORDER_SHARE = 0.0763;
    /** Orders per (non-guest) customer with at least one order. */
    static final double ORDERS_PER_CUSTOMER = 3.198;
    /** Non-guest orders per customer of the pool, including customers who never order (see the class comment). */
    static final double CUSTOMER_POOL_LOAD = 3.046;

    private SyntheticWorkload() {
    }

    /**
     * Generates a workload; the same arguments always give the same workload.
     *
     * @param orders number of orders, {@code >= 1}
     * @param seed   the seed of every draw
     * @return the workload: its catalog holds only the products some order uses, in first-use order
     */
    public static Workload generate(int orders, long seed) {
        Random random = new Random(seed);
        String prefix = "syn" + seed + "-";
        double[] popularity = new double[CATALOG_SIZE];
        long[] prices = new long[CATALOG_SIZE];
        double cumulative = 0;
        for (int i = 0; i < CATALOG_SIZE; i++) {
            cumulative += Math.exp(POPULARITY_SIGMA * random.nextGaussian());
            popularity[i] = cumulative;
            prices[i] = Math.max(1, Math.round(Math.exp(PRICE_LOG_MEAN + PRICE_LOG_SD * random.nextGaussian())));
        }
        double[] basketSizes = cumulative(Arrays.stream(BASKET_SIZE_ORDERS).asDoubleStream().toArray(), BASKET_TAIL_ORDERS);
        double[] quantities = cumulative(Arrays.stream(QUANTITY_LINES).mapToDouble(q -> q[1]).toArray(), QUANTITY_TAIL_LINES);
        int customers = Math.max(1, (int) Math.round(orders * (1 - GUEST_ORDER_SHARE) / CUSTOMER_POOL_LOAD));

        Map<Integer, Workload.Product> catalog = new LinkedHashMap<>();
        List<Workload.Order> generated = new ArrayList<>(orders);
        for (int o = 1; o <= orders; o++) {
            String key = prefix + "o%06d".formatted(o);
            String customer = random.nextDouble() < GUEST_ORDER_SHARE
                    ? "guest-" + key
                    : prefix + "c%04d".formatted(1 + random.nextInt(customers));
            int size = basketSize(random, basketSizes);
            Set<Integer> chosen = new HashSet<>();
            List<Workload.Line> lines = new ArrayList<>(size);
            while (lines.size() < size) {
                int product = pick(popularity, random.nextDouble());
                if (chosen.add(product)) {
                    Workload.Product p = catalog.computeIfAbsent(product, i -> new Workload.Product(
                            prefix + "p%04d".formatted(i + 1), "Synthetic product %d".formatted(i + 1), prices[i]));
                    lines.add(new Workload.Line(p.productId(), quantity(random, quantities)));
                }
            }
            generated.add(new Workload.Order(key, customer, List.copyOf(lines)));
        }
        return new Workload("synthetic workload (seed " + seed + ", " + orders + " orders)",
                List.copyOf(catalog.values()), generated, Workload.Skipped.none());
    }

    /**
     * Inverse-CDF draw from cumulative weights.
     *
     * @param cumulative non-decreasing running sums of non-negative weights, last one {@code > 0}
     * @param uniform    a draw in [0, 1)
     * @return the index {@code i} with {@code cumulative[i-1] <= uniform x total < cumulative[i]}
     */
    static int pick(double[] cumulative, double uniform) {
        double target = uniform * cumulative[cumulative.length - 1];
        int low = 0;
        int high = cumulative.length - 1;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (cumulative[mid] > target) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return low;
    }

    /** Running sums of {@code weights} followed by one more weight (the tail), as {@link #pick} expects. */
    private static double[] cumulative(double[] weights, double tail) {
        double[] out = new double[weights.length + 1];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += weights[i];
            out[i] = sum;
        }
        out[weights.length] = sum + tail;
        return out;
    }

    private static int basketSize(Random random, double[] cumulative) {
        int index = pick(cumulative, random.nextDouble());
        if (index < BASKET_SIZE_ORDERS.length) {
            return index + 1;
        }
        double p = 1 / (1 + BASKET_TAIL_MEAN_EXCESS);
        double excess = Math.floor(Math.log(1 - random.nextDouble()) / Math.log(1 - p));
        return (int) Math.min(MAX_LINES, BASKET_TAIL_FROM + excess);
    }

    private static int quantity(Random random, double[] cumulative) {
        int index = pick(cumulative, random.nextDouble());
        if (index < QUANTITY_LINES.length) {
            return QUANTITY_LINES[index][0];
        }
        double q = Math.exp(QUANTITY_TAIL_LOG_MEAN + QUANTITY_TAIL_LOG_SD * random.nextGaussian());
        return (int) Math.max(1, Math.min(MAX_QUANTITY, Math.round(q)));
    }
}
