package io.ordersaga.saga;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * order-saga-streams' own settings, under the prefix {@code ordersaga.saga}, all in ms; each one left unset takes
 * its value from {@link OrderSaga.Timings#defaults()}, the one place the defaults are defined.
 *
 * @param reservationTimeoutMs how long RESERVING may last before the saga cancels with TIMEOUT (default 30000)
 * @param paymentTimeoutMs     how long PAYING may last before the saga cancels with TIMEOUT (default 30000)
 * @param retentionMs          how long a terminal saga stays in the store before it is deleted (default one day)
 * @param punctuateIntervalMs  how often the deadline punctuator runs (default 1000)
 */
@ConfigurationProperties("ordersaga.saga")
public record SagaProperties(Long reservationTimeoutMs, Long paymentTimeoutMs, Long retentionMs, Long punctuateIntervalMs) {

    /** @throws IllegalArgumentException when a duration is not positive, so the service does not start */
    public SagaProperties {
        timings(reservationTimeoutMs, paymentTimeoutMs, retentionMs, punctuateIntervalMs);
    }

    /** The saga's timing: these settings over the defaults. */
    public OrderSaga.Timings timings() {
        return timings(reservationTimeoutMs, paymentTimeoutMs, retentionMs, punctuateIntervalMs);
    }

    private static OrderSaga.Timings timings(Long reservationTimeoutMs, Long paymentTimeoutMs, Long retentionMs,
                                             Long punctuateIntervalMs) {
        OrderSaga.Timings defaults = OrderSaga.Timings.defaults();
        return new OrderSaga.Timings(
                reservationTimeoutMs != null ? reservationTimeoutMs : defaults.reservationTimeoutMs(),
                paymentTimeoutMs != null ? paymentTimeoutMs : defaults.paymentTimeoutMs(),
                retentionMs != null ? retentionMs : defaults.retentionMs(),
                punctuateIntervalMs != null ? punctuateIntervalMs : defaults.punctuateIntervalMs());
    }
}
