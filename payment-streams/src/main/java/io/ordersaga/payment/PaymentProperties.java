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

    /**
     * The topology's configuration: these settings over the defaults. Called once when the service builds its
     * topology, so a bad setting stops the start.
     *
     * @throws IllegalArgumentException when a duration is not positive
     */
    public PaymentTopology.Config config() {
        PaymentTopology.Config defaults = PaymentTopology.Config.defaults();
        return new PaymentTopology.Config(defaults.payments().with(retentionMs, retentionScanIntervalMs),
                defaults.credits().with(creditDedupMs, retentionScanIntervalMs));
    }
}
