package io.ordersaga.launcher;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The retention rule {@link ServiceCluster#checkRetentions} applies before order-api opens. */
class ServiceClusterTest {

    private static final long DAY_MS = 86_400_000L;

    @Test
    void paymentMayKeepAClosedPaymentAsLongAsOrLongerThanTheSagaKeepsItsOrder() {
        assertThatCode(() -> ServiceCluster.checkRetentions(DAY_MS, DAY_MS)).doesNotThrowAnyException();
        assertThatCode(() -> ServiceCluster.checkRetentions(DAY_MS, 2 * DAY_MS)).doesNotThrowAnyException();
    }

    @Test
    void aPaymentRetentionShorterThanTheSagasStopsTheStart() {
        assertThatThrownBy(() -> ServiceCluster.checkRetentions(2 * DAY_MS, DAY_MS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ordersaga.payment.retention-ms (86400000 ms)")
                .hasMessageContaining("ordersaga.saga.retention-ms (172800000 ms)");
    }
}
