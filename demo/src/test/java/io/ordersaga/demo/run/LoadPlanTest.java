package io.ordersaga.demo.run;

import io.ordersaga.demo.workload.FlashSaleWorkload;
import io.ordersaga.demo.workload.Workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LoadPlanTest {

    private static final Workload.Product A = new Workload.Product("A", "a", 250);
    private static final Workload.Product B = new Workload.Product("B", "b", 99);

    private static Workload workload(List<Workload.Order> orders) {
        return new Workload("test", List.of(A, B), orders, Workload.Skipped.none());
    }

    @Test
    void stockIsTheCeilingOfTheFractionOfDemand() {
        Workload w = workload(List.of(
                new Workload.Order("1", "c1", List.of(new Workload.Line("A", 7), new Workload.Line("B", 1))),
                new Workload.Order("2", "c2", List.of(new Workload.Line("A", 3)))));
        assertThat(LoadPlan.of(w, new LoadPlan.StockFraction(0.8), new LoadPlan.SeededHalfCredit(42)).stock()).containsExactly(Map.entry("A", 8L), Map.entry("B", 1L));
        assertThat(LoadPlan.of(w, new LoadPlan.StockFraction(0.7), new LoadPlan.SeededHalfCredit(42)).stock()).containsEntry("A", 7L); // 0.7 x 10 is 7, not 7.000000000000001
        assertThat(LoadPlan.of(w, new LoadPlan.StockFraction(0.0), new LoadPlan.SeededHalfCredit(42)).stock()).containsEntry("A", 0L).containsEntry("B", 0L);
        assertThat(LoadPlan.of(w, new LoadPlan.StockFraction(1.5), new LoadPlan.SeededHalfCredit(42)).totalStock()).isEqualTo(15 + 2);
    }

    @Test
    void customersGetTheirOrdersValueAndASeededTenthGetHalf() {
        List<Workload.Order> orders = IntStream.range(0, 50).mapToObj(i -> new Workload.Order("k" + i,
                "c" + (i % 25), List.of(new Workload.Line("A", 1), new Workload.Line("B", 3)))).toList();
        LoadPlan plan = LoadPlan.of(workload(orders), new LoadPlan.StockFraction(0.8), new LoadPlan.SeededHalfCredit(42));
        long full = 2 * (250 + 3 * 99);
        assertThat(plan.credits()).hasSize(25);
        assertThat(plan.credits().values()).filteredOn(v -> v == full).hasSize(23);
        assertThat(plan.credits().values()).filteredOn(v -> v == full / 2).hasSize(2);
        assertThat(LoadPlan.of(workload(orders), new LoadPlan.StockFraction(0.8), new LoadPlan.SeededHalfCredit(42))).isEqualTo(plan);
        assertThat(LoadPlan.of(workload(orders), new LoadPlan.StockFraction(0.8), new LoadPlan.SeededHalfCredit(43)).credits()).isNotEqualTo(plan.credits());
    }

    @Test
    void flashSalePlanStocksExactlyTheUnitsAndFundsEveryBuyer() {
        for (int[] sale : new int[][] {{1000, 100}, {50, 80}, {1, 1}}) {
            Workload w = FlashSaleWorkload.generate(sale[0], 42);
            LoadPlan plan = LoadPlan.of(w, new LoadPlan.ExactStock(sale[1]), new LoadPlan.FullCredit());
            assertThat(plan.stock()).containsExactly(Map.entry("flash42-p", (long) sale[1]));
            assertThat(plan.totalStock()).isEqualTo(sale[1]);
            assertThat(plan.credits()).hasSize(sale[0]);
            Map<String, Workload.Product> catalog = w.catalog();
            for (Workload.Order order : w.orders()) {
                assertThat(plan.credits().get(order.customerId()))
                        .isEqualTo(LoadPlan.orderValue(order, catalog))
                        .isEqualTo(FlashSaleWorkload.UNIT_PRICE);
            }
            assertThat(plan.totalCredits()).isEqualTo(sale[0] * FlashSaleWorkload.UNIT_PRICE);
        }
    }

    @Test
    void policiesDescribeThemselvesForTheReport() {
        assertThat(new LoadPlan.StockFraction(0.8).describe()).isEqualTo("ceil(0.8 x units demanded) per product");
        assertThat(new LoadPlan.StockFraction(5).describe()).isEqualTo("ceil(5 x units demanded) per product");
        assertThat(new LoadPlan.ExactStock(100).describe()).isEqualTo("exactly 100 units per product");
        assertThat(new LoadPlan.SeededHalfCredit(42).describe()).contains("10 %", "seed 42");
        assertThat(new LoadPlan.FullCredit().describe()).isEqualTo("value of their orders");
    }

    @Test
    void orderValueIsQuantityTimesCatalogPrice() {
        Workload.Order order = new Workload.Order("1", "c", List.of(new Workload.Line("A", 4), new Workload.Line("B", 2)));
        assertThat(LoadPlan.orderValue(order, workload(List.of(order)).catalog())).isEqualTo(4 * 250 + 2 * 99);
    }
}
