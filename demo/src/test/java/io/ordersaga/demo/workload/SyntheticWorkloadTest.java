package io.ordersaga.demo.workload;

import io.ordersaga.demo.SampleData;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyntheticWorkloadTest {

    /** What {@code WorkloadFit} prints for online-retail-sample.csv (the figures the generator was fitted on). */
    static final WorkloadFit.Figures SAMPLE = new WorkloadFit.Figures(12_421, 38_983, 0.92, 3378,
            3.1385, 0.3860, 0.04315, 0.2777, 0.1170, 1.3803, 5.2461, 1.0215, 0.07632, 3.1985);

    @Test
    void sameSeedSameWorkloadOtherSeedOtherWorkload() {
        Workload a = SyntheticWorkload.generate(500, 7);
        assertThat(SyntheticWorkload.generate(500, 7)).isEqualTo(a);
        Workload b = SyntheticWorkload.generate(500, 8);
        assertThat(b.orders()).isNotEqualTo(a.orders());
        assertThat(b.products()).extracting(Workload.Product::productId).allMatch(id -> id.startsWith("syn8-p"));
    }

    @Test
    void workloadIsWellFormed() {
        Workload w = SyntheticWorkload.generate(20_000, 42);
        assertThat(w.orders()).hasSize(20_000);
        Set<String> productIds = w.catalog().keySet();
        Set<String> keys = new HashSet<>();
        for (Workload.Order order : w.orders()) {
            assertThat(keys.add(order.idempotencyKey())).isTrue();
            assertThat(order.lines()).isNotEmpty().hasSizeLessThanOrEqualTo(SyntheticWorkload.MAX_LINES);
            assertThat(order.lines()).extracting(Workload.Line::productId).doesNotHaveDuplicates();
            assertThat(order.lines()).allSatisfy(line -> {
                assertThat(line.quantity()).isBetween(1, SyntheticWorkload.MAX_QUANTITY);
                assertThat(productIds).contains(line.productId());
            });
        }
        assertThat(w.products()).allSatisfy(p -> assertThat(p.unitPrice()).isPositive());
        assertThat(w.products()).extracting(Workload.Product::productId).doesNotHaveDuplicates();
        assertThat(w.orders().stream().flatMap(o -> o.lines().stream()).map(Workload.Line::productId).distinct().count())
                .isEqualTo(w.products().size());
    }

    @Test
    void generatedWorkloadMatchesTheFittedFigures() {
        WorkloadFit.Figures g = WorkloadFit.Figures.of(SyntheticWorkload.generate(5000, 42));
        assertThat(g.orders()).isEqualTo(5000);
        assertThat(g.popularitySigma()).isCloseTo(SAMPLE.popularitySigma(), within(0.10));
        assertThat((double) g.popularityCatalog()).isCloseTo(SAMPLE.popularityCatalog(), within(0.10 * SAMPLE.popularityCatalog()));
        assertThat(g.meanBasketSize()).isCloseTo(SAMPLE.meanBasketSize(), within(0.10 * SAMPLE.meanBasketSize()));
        assertThat(g.singleLineShare()).isCloseTo(SAMPLE.singleLineShare(), within(0.02));
        assertThat(g.tenOrMoreLineShare()).isCloseTo(SAMPLE.tenOrMoreLineShare(), within(0.01));
        assertThat(g.quantityOneShare()).isCloseTo(SAMPLE.quantityOneShare(), within(0.015));
        assertThat(g.quantityTwelveShare()).isCloseTo(SAMPLE.quantityTwelveShare(), within(0.01));
        assertThat(g.meanLogQuantity()).isCloseTo(SAMPLE.meanLogQuantity(), within(0.05));
        assertThat(g.lnPenceMean()).isCloseTo(SAMPLE.lnPenceMean(), within(0.08));
        assertThat(g.lnPenceSd()).isCloseTo(SAMPLE.lnPenceSd(), within(0.05));
        assertThat(g.guestOrderShare()).isCloseTo(SAMPLE.guestOrderShare(), within(0.01));
        assertThat(g.ordersPerCustomer()).isCloseTo(SAMPLE.ordersPerCustomer(), within(0.15));
    }

    @Test
    void theFitReproducesTheSampleFigures() throws IOException {
        Optional<Path> sample = SampleData.onlineRetailSample();
        assumeTrue(sample.isPresent(), "Online Retail sample not on this machine");
        WorkloadFit.Figures real = WorkloadFit.Figures.of(OnlineRetailCsv.read(sample.get(), Integer.MAX_VALUE));
        assertThat(real.orders()).isEqualTo(SAMPLE.orders());
        assertThat(real.lines()).isEqualTo(SAMPLE.lines());
        assertThat(real.popularitySigma()).isEqualTo(SAMPLE.popularitySigma());
        assertThat(real.popularityCatalog()).isEqualTo(SAMPLE.popularityCatalog());
        assertThat(real.meanBasketSize()).isCloseTo(SAMPLE.meanBasketSize(), within(1e-4));
        assertThat(real.quantityOneShare()).isCloseTo(SAMPLE.quantityOneShare(), within(1e-4));
        assertThat(real.lnPenceMean()).isCloseTo(SAMPLE.lnPenceMean(), within(1e-4));
        assertThat(real.lnPenceSd()).isCloseTo(SAMPLE.lnPenceSd(), within(1e-4));
        assertThat(real.ordersPerCustomer()).isCloseTo(SAMPLE.ordersPerCustomer(), within(1e-4));
        // the generator's constants are these figures
        assertThat(SyntheticWorkload.POPULARITY_SIGMA).isEqualTo(real.popularitySigma());
        assertThat(SyntheticWorkload.CATALOG_SIZE).isEqualTo(real.popularityCatalog());
        assertThat(SyntheticWorkload.PRICE_LOG_MEAN).isCloseTo(real.lnPenceMean(), within(0.001));
        assertThat(SyntheticWorkload.PRICE_LOG_SD).isCloseTo(real.lnPenceSd(), within(0.001));
        assertThat(SyntheticWorkload.GUEST_ORDER_SHARE).isCloseTo(real.guestOrderShare(), within(0.0001));
        assertThat(SyntheticWorkload.ORDERS_PER_CUSTOMER).isCloseTo(real.ordersPerCustomer(), within(0.001));
    }

    @Test
    void zipfExponentRecoversAPowerLaw() {
        int[] counts = new int[200];
        for (int rank = 1; rank <= counts.length; rank++) {
            counts[rank - 1] = (int) Math.round(1e6 * Math.pow(rank, -1.3));
        }
        assertThat(WorkloadFit.zipfExponent(counts, 200)).isCloseTo(1.3, within(0.001));
        assertThat(WorkloadFit.zipfExponent(counts, 20)).isCloseTo(1.3, within(0.001));
    }

    @Test
    void pickIsTheInverseCdf() {
        double[] cumulative = {1, 1, 3, 6};
        assertThat(SyntheticWorkload.pick(cumulative, 0.0)).isZero();
        assertThat(SyntheticWorkload.pick(cumulative, 0.99 / 6)).isZero();
        assertThat(SyntheticWorkload.pick(cumulative, 1.0 / 6)).isEqualTo(2);
        assertThat(SyntheticWorkload.pick(cumulative, 2.99 / 6)).isEqualTo(2);
        assertThat(SyntheticWorkload.pick(cumulative, 0.999)).isEqualTo(3);
    }
}
