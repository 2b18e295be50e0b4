package io.ordersaga.payment;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * payment-streams' own settings, under the prefix {@code ordersaga.payment}, all in ms; each one left unset takes
 * its value from {@link PaymentTopology.Config#defaults()}, the one place the defaults are defined.
 *
 * @param retentionMs             how long a closed payment is kept after it closed (default one day); open charges
 *                                are kept until settled or refunded, however long
 * @param retentionScanIntervalMs how often expired payments and creditIds are deleted (default 1000)
 * @param creditDedupMs           how long an applied creditId is remembered, so that a retry is applied once (default
 *                                seven days)
 */
@ConfigurationProperties("ordersaga.payment")
public record PaymentProperties(Long retentionMs, Long retentionScanIntervalMs, Long creditDedupMs) {

    /** @throws IllegalArgumentException when a duration is not positive, so the service does not start */
    public PaymentProperties {
        config(PaymentTopology.Config.defaults(), retentionMs, retentionScanIntervalMs, creditDedupMs);
    }

    /** The topology's configuration: these settings over the defaults. */
    public PaymentTopology.Config config() {
        return config(PaymentTopology.Config.defaults(), retentionMs, retentionScanIntervalMs, creditDedupMs);
    }

    private static PaymentTopology.Config config(PaymentTopology.Config defaults, Long retentionMs, Long scanIntervalMs, Long dedupMs) {
        return new PaymentTopology.Config(defaults.payments().with(retentionMs, scanIntervalMs), defaults.credits().with(dedupMs, scanIntervalMs));
    }
}
