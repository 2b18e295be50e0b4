package io.ordersaga.demo.workload;

import io.ordersaga.demo.SampleData;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Fits the synthetic workload's distributions on a real workload, and measures any workload the same way so that
 * a generated one can be compared with the real one ({@code SyntheticWorkloadTest} does).
 *
 * <p>Run it on the Online Retail sample to obtain the constants of {@link SyntheticWorkload}:
 * <pre>./mvnw -q -pl demo compile exec:java -Dexec.mainClass=io.ordersaga.demo.workload.WorkloadFit \
 *     [-Dexec.args=path/to/online-retail.csv]</pre>
 * (without an argument it looks for the sample as {@link SampleData} does).
 *
 * <p>Product popularity is modelled as log-normal, not Zipf: a least-squares Zipf fit of log(line count) on
 * log(rank) gives an exponent that depends on the ranks used (0.23 over the top 50 products of the sample, 0.50
 * over the top 1000, 1.04 over all 3157), a curved log-log plot that no single power law follows. Each product's
 * weight is {@code exp(sigma x N(0,1))} over a catalog of {@code P} products; sigma and P are fitted by the
 * simulated method of moments: the model is sampled with as many lines as the workload has, and (sigma, P) chosen
 * to match four figures of the observed line counts per product: the number of distinct products and the share of
 * lines taken by the top 1 %, 10 % and 50 % of them. The estimate does not depend on the number of lines, so a
 * small generated workload and the large real one are comparable.
 */
public final class WorkloadFit {

    private static final long SIMULATION_SEED = 20_101_201L;

    private WorkloadFit() {
    }

    /**
     * Figures of a workload, all computed from its orders and catalog.
     *
     * @param orders              number of orders
     * @param lines               number of order lines
     * @param popularitySigma     fitted sigma of the log-normal product weights
     * @param popularityCatalog   fitted number of products P of the popularity model
     * @param meanBasketSize      mean lines per order
     * @param singleLineShare     share of orders with one line
     * @param tenOrMoreLineShare  share of orders with 10 lines or more
     * @param quantityOneShare    share of lines with quantity 1
     * @param quantityTwelveShare share of lines with quantity 12 (the commonest pack)
     * @param meanLogQuantity     mean of ln(quantity) over lines
     * @param lnPenceMean         mean of ln(unit price in pence) over catalog products
     * @param lnPenceSd           population standard deviation of ln(unit price in pence) over catalog products
     * @param guestOrderShare     share of orders by guests ({@code guest-...} customers)
     * @param ordersPerCustomer   non-guest orders per non-guest customer
     */
    public record Figures(int orders, long lines, double popularitySigma, int popularityCatalog,
                          double meanBasketSize, double singleLineShare, double tenOrMoreLineShare,
                          double quantityOneShare, double quantityTwelveShare, double meanLogQuantity,
                          double lnPenceMean, double lnPenceSd, double guestOrderShare, double ordersPerCustomer) {

        /**
         * Measures a workload.
         *
         * @param workload any workload with at least one order
         * @return its figures (the popularity fit takes about a second for 40,000 lines)
         */
        public static Figures of(Workload workload) {
            int orders = workload.orders().size();
            long lines = 0;
            long single = 0;
            long tenOrMore = 0;
            long quantityOne = 0;
            long quantityTwelve = 0;
            double sumLogQuantity = 0;
            long guestOrders = 0;
            Set<String> customers = new HashSet<>();
            Map<String, Integer> linesPerProduct = new HashMap<>();
            for (Workload.Order order : workload.orders()) {
                int size = order.lines().size();
                lines += size;
                single += size == 1 ? 1 : 0;
                tenOrMore += size >= 10 ? 1 : 0;
                if (order.customerId().startsWith("guest-")) {
                    guestOrders++;
                } else {
                    customers.add(order.customerId());
                }
                for (Workload.Line line : order.lines()) {
                    quantityOne += line.quantity() == 1 ? 1 : 0;
                    quantityTwelve += line.quantity() == 12 ? 1 : 0;
                    sumLogQuantity += Math.log(line.quantity());
                    linesPerProduct.merge(line.productId(), 1, Integer::sum);
                }
            }
            double[] logPrices = workload.products().stream().mapToDouble(p -> Math.log(p.unitPrice())).toArray();
            double lnPenceMean = Arrays.stream(logPrices).average().orElse(0);
            double lnPenceSd = Math.sqrt(Arrays.stream(logPrices)
                    .map(x -> (x - lnPenceMean) * (x - lnPenceMean)).average().orElse(0));
            Popularity popularity = fitPopularity(linesPerProduct.values().stream().mapToInt(Integer::intValue).toArray());
            return new Figures(orders, lines, popularity.sigma(), popularity.catalogSize(),
                    (double) lines / orders, (double) single / orders, (double) tenOrMore / orders,
                    (double) quantityOne / lines, (double) quantityTwelve / lines, sumLogQuantity / lines,
                    lnPenceMean, lnPenceSd, (double) guestOrders / orders,
                    customers.isEmpty() ? 0 : (double) (orders - guestOrders) / customers.size());
        }
    }

    /**
     * A fitted log-normal popularity model.
     *
     * @param sigma       standard deviation of ln(weight)
     * @param catalogSize number of products P, including those a sample of this size would not show
     */
    public record Popularity(double sigma, int catalogSize) {
    }

    /**
     * Fits the log-normal popularity model by the simulated method of moments (see the class comment): a coarse
     * grid (sigma 0.50..2.00 by 0.05, P from the observed count to twice it by 5 %) then a fine one around the
     * best point (sigma by 0.01, P by 1 %). Simulations reuse the same random numbers (seeded), so the result is
     * deterministic.
     *
     * @param linesPerProduct number of order lines of each product that occurs at least once
     * @return the fitted model
     */
    static Popularity fitPopularity(int[] linesPerProduct) {
        Moments observed = Moments.of(linesPerProduct);
        int distinct = linesPerProduct.length;
        int lines = Arrays.stream(linesPerProduct).sum();
        Random random = new Random(SIMULATION_SEED);
        double[] z = new double[2 * distinct + distinct / 10 + 1];
        Arrays.setAll(z, i -> random.nextGaussian());
        double[] u = new double[lines];
        Arrays.setAll(u, i -> random.nextDouble());

        double bestSigma = 0;
        double bestFactor = 0;
        double bestLoss = Double.MAX_VALUE;
        for (double sigma = 0.50; sigma <= 2.0001; sigma += 0.05) {
            for (double factor = 1.0; factor <= 2.0001; factor += 0.05) {
                double loss = observed.loss(simulate(z, u, sigma, (int) Math.round(distinct * factor)));
                if (loss < bestLoss) {
                    bestLoss = loss;
                    bestSigma = sigma;
                    bestFactor = factor;
                }
            }
        }
        double coarseSigma = bestSigma;
        double coarseFactor = bestFactor;
        for (double sigma = coarseSigma - 0.05; sigma <= coarseSigma + 0.05001; sigma += 0.01) {
            for (double factor = Math.max(1.0, coarseFactor - 0.05); factor <= coarseFactor + 0.05001; factor += 0.01) {
                double loss = observed.loss(simulate(z, u, sigma, (int) Math.round(distinct * factor)));
                if (loss < bestLoss) {
                    bestLoss = loss;
                    bestSigma = sigma;
                    bestFactor = factor;
                }
            }
        }
        return new Popularity(Math.round(bestSigma * 100) / 100.0, (int) Math.round(distinct * bestFactor));
    }

    /** Draws {@code u.length} lines over {@code catalogSize} products of weight exp(sigma z). */
    private static Moments simulate(double[] z, double[] u, double sigma, int catalogSize) {
        double[] cumulative = new double[catalogSize];
        double sum = 0;
        for (int i = 0; i < catalogSize; i++) {
            sum += Math.exp(sigma * z[i]);
            cumulative[i] = sum;
        }
        int[] counts = new int[catalogSize];
        for (double draw : u) {
            counts[SyntheticWorkload.pick(cumulative, draw)]++;
        }
        return Moments.of(Arrays.stream(counts).filter(c -> c > 0).toArray());
    }

    /**
     * The four figures the popularity fit matches.
     *
     * @param distinct products with at least one line
     * @param top1     share of lines of the top 1 % of those products (at least one product)
     * @param top10    share of lines of the top 10 %
     * @param top50    share of lines of the top 50 %
     */
    private record Moments(int distinct, double top1, double top10, double top50) {

        static Moments of(int[] counts) {
            int[] sorted = counts.clone();
            Arrays.sort(sorted);
            long total = Arrays.stream(sorted).asLongStream().sum();
            return new Moments(sorted.length, topShare(sorted, total, 0.01), topShare(sorted, total, 0.10),
                    topShare(sorted, total, 0.50));
        }

        private static double topShare(int[] ascending, long total, double fraction) {
            int k = Math.max(1, (int) Math.round(ascending.length * fraction));
            long sum = 0;
            for (int i = ascending.length - k; i < ascending.length; i++) {
                sum += ascending[i];
            }
            return (double) sum / total;
        }

        /** Squared relative distance of a simulation to these figures. */
        double loss(Moments simulated) {
            double d = Math.log((double) simulated.distinct / distinct);
            return d * d + square(simulated.top1 / top1 - 1) + square(simulated.top10 / top10 - 1)
                    + square(simulated.top50 / top50 - 1);
        }

        private static double square(double x) {
            return x * x;
        }
    }

    /**
     * Least-squares Zipf exponent: minus the slope of ln(line count) on ln(rank) over the top {@code ranks}
     * products. Printed by {@link #main} to show that popularity is not a power law.
     *
     * @param descending line counts per product, most popular first
     * @param ranks      how many of the top ranks to fit on
     * @return the exponent
     */
    static double zipfExponent(int[] descending, int ranks) {
        int n = Math.min(ranks, descending.length);
        double meanX = 0;
        double meanY = 0;
        for (int i = 0; i < n; i++) {
            meanX += Math.log(i + 1);
            meanY += Math.log(descending[i]);
        }
        meanX /= n;
        meanY /= n;
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            double dx = Math.log(i + 1) - meanX;
            sxy += dx * (Math.log(descending[i]) - meanY);
            sxx += dx * dx;
        }
        return -sxy / sxx;
    }

    /**
     * Prints the figures and the fitted constants of a real workload.
     *
     * @param args optional path of an Online Retail CSV; default the sample found by {@link SampleData}
     * @throws IOException when the CSV cannot be read
     */
    public static void main(String[] args) throws IOException {
        Path csv = args.length > 0 ? Path.of(args[0]) : SampleData.onlineRetailSample()
                .orElseThrow(() -> new IOException("Online Retail sample not found; pass the CSV path"));
        print(OnlineRetailCsv.read(csv, Integer.MAX_VALUE), System.out);
    }

    private static void print(Workload workload, PrintStream out) {
        out.println(workload.description());
        out.println(Figures.of(workload));

        Map<String, Integer> linesPerProduct = new HashMap<>();
        Map<Integer, Integer> basketSizes = new TreeMap<>();
        Map<Integer, Integer> quantities = new TreeMap<>();
        for (Workload.Order order : workload.orders()) {
            basketSizes.merge(order.lines().size(), 1, Integer::sum);
            for (Workload.Line line : order.lines()) {
                linesPerProduct.merge(line.productId(), 1, Integer::sum);
                quantities.merge(line.quantity(), 1, Integer::sum);
            }
        }
        int[] descending = linesPerProduct.values().stream().sorted((a, b) -> b - a).mapToInt(Integer::intValue).toArray();
        out.printf(Locale.ROOT, "Zipf LS exponent: top 50 %.2f, top 1000 %.2f, all %d %.2f%n",
                zipfExponent(descending, 50), zipfExponent(descending, 1000), descending.length,
                zipfExponent(descending, descending.length));

        StringBuilder basket = new StringBuilder();
        long tailOrders = 0;
        long tailExcess = 0;
        for (Map.Entry<Integer, Integer> e : basketSizes.entrySet()) {
            if (e.getKey() < SyntheticWorkload.BASKET_TAIL_FROM) {
                basket.append(e.getValue()).append(", ");
            } else {
                tailOrders += e.getValue();
                tailExcess += (long) (e.getKey() - SyntheticWorkload.BASKET_TAIL_FROM) * e.getValue();
            }
        }
        out.printf(Locale.ROOT, "orders by lines 1..%d: %s; %d orders of %d+ lines, mean excess %.2f%n",
                SyntheticWorkload.BASKET_TAIL_FROM - 1, basket, tailOrders, SyntheticWorkload.BASKET_TAIL_FROM,
                (double) tailExcess / tailOrders);

        StringBuilder table = new StringBuilder();
        long tailLines = 0;
        double tailLog = 0;
        double tailLog2 = 0;
        for (Map.Entry<Integer, Integer> e : quantities.entrySet()) {
            if (e.getValue() >= SyntheticWorkload.QUANTITY_TABLE_MIN_LINES) {
                table.append('{').append(e.getKey()).append(", ").append(e.getValue()).append("}, ");
            } else {
                double log = Math.log(e.getKey());
                tailLines += e.getValue();
                tailLog += log * e.getValue();
                tailLog2 += log * log * e.getValue();
            }
        }
        double tailMean = tailLog / tailLines;
        out.printf(Locale.ROOT, "quantities with >= %d lines {quantity, lines}: %s%n",
                SyntheticWorkload.QUANTITY_TABLE_MIN_LINES, table);
        out.printf(Locale.ROOT, "other quantities: %d lines, ln(quantity) mean %.3f sd %.3f%n", tailLines, tailMean,
                Math.sqrt(tailLog2 / tailLines - tailMean * tailMean));
    }
}
