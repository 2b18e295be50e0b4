package io.ordersaga.demo.workload;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FlashSaleWorkloadTest {

    @Test
    void oneHotProductAndOneOrderOfOneUnitPerDistinctBuyer() {
        Workload w = FlashSaleWorkload.generate(1000, 42);
        assertThat(w.products()).containsExactly(
                new Workload.Product("flash42-p", FlashSaleWorkload.PRODUCT_NAME, FlashSaleWorkload.UNIT_PRICE));
        assertThat(w.orders()).hasSize(1000);
        assertThat(w.customerCount()).isEqualTo(1000);
        assertThat(w.orders()).extracting(Workload.Order::idempotencyKey).doesNotHaveDuplicates();
        assertThat(w.orders()).allSatisfy(o -> assertThat(o.lines())
                .containsExactly(new Workload.Line("flash42-p", 1)));
        assertThat(w.orders().getFirst()).isEqualTo(new Workload.Order("flash42-o000001", "flash42-c000001",
                w.orders().getFirst().lines()));
        assertThat(w.skipped()).isEqualTo(Workload.Skipped.none());
        assertThat(w.description()).contains("flash sale", "seed 42", "1000 buyers", "flash42-p", "£49.99");
    }

    @Test
    void idsCarryTheSeed() {
        assertThat(FlashSaleWorkload.generate(3, 42)).isEqualTo(FlashSaleWorkload.generate(3, 42));
        Workload other = FlashSaleWorkload.generate(3, 7);
        assertThat(FlashSaleWorkload.productId(7)).isEqualTo("flash7-p");
        assertThat(other.orders()).allSatisfy(o -> assertThat(o.customerId()).startsWith("flash7-c"));
    }
}
