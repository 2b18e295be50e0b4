package io.ordersaga.demo.workload;

import io.ordersaga.demo.report.Report;

import java.util.ArrayList;
import java.util.List;

/**
 * The workload of a flash sale ({@code --flash-sale BUYERS:UNITS}): one hot product, and {@code buyers} distinct
 * customers each placing one order of 1 unit of it. The stock ({@link io.ordersaga.demo.run.LoadPlan.ExactStock}:
 * exactly UNITS) and the wallets ({@link io.ordersaga.demo.run.LoadPlan.FullCredit}: every buyer can pay) are the
 * load plan's; the orders are released all at once by {@link io.ordersaga.demo.run.Replay} in closed loop with
 * {@code buyers} in flight.
 *
 * <p>Ids carry the seed, so flash sales of different seeds can share a stack, and never share a key with the
 * synthetic workload ({@code syn<seed>-...}): product {@code flash<seed>-p}, customers {@code flash<seed>-c000001},
 * orders (Idempotency-Keys) {@code flash<seed>-o000001}.
 */
public final class FlashSaleWorkload {

    /** Price of the hot product in pence: £49.99, a typical flash-sale price point. */
    public static final long UNIT_PRICE = 4_999;
    /** Display name of the hot product. */
    static final String PRODUCT_NAME = "Flash sale: limited edition gift set";

    private FlashSaleWorkload() {
    }

    /**
     * The hot product's id.
     *
     * @param seed the demo's seed
     * @return {@code flash<seed>-p}
     */
    public static String productId(long seed) {
        return "flash" + seed + "-p";
    }

    /**
     * Generates the flash sale's workload; the same arguments always give the same workload.
     *
     * @param buyers customers, one order of 1 unit each, {@code >= 1}
     * @param seed   the demo's seed, carried by every id
     * @return one product, {@code buyers} orders of distinct customers, in buyer order
     */
    public static Workload generate(int buyers, long seed) {
        String prefix = "flash" + seed + "-";
        Workload.Product product = new Workload.Product(productId(seed), PRODUCT_NAME, UNIT_PRICE);
        List<Workload.Line> oneUnit = List.of(new Workload.Line(product.productId(), 1));
        List<Workload.Order> orders = new ArrayList<>(buyers);
        for (int b = 1; b <= buyers; b++) {
            orders.add(new Workload.Order(prefix + "o%06d".formatted(b), prefix + "c%06d".formatted(b), oneUnit));
        }
        return new Workload("flash sale (seed " + seed + ", " + buyers + " buyers, 1 unit each, of "
                + product.productId() + " at " + Report.pounds(UNIT_PRICE) + ")", List.of(product), orders,
                Workload.Skipped.none());
    }
}
