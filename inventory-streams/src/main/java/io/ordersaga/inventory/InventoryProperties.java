package io.ordersaga.inventory;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * inventory-streams' own settings, under the prefix {@code ordersaga.inventory}, all in ms; each one left unset
 * takes its value from {@link InventoryTopology.Config#defaults()}, the one place the defaults are defined.
 *
 * @param retentionMs             how long a closed reservation is kept after it closed (default one day)
 * @param retentionScanIntervalMs how often expired reservations and adjustmentIds are deleted (default 1000)
 * @param adjustmentDedupMs       how long a done adjustmentId is remembered, so that a retry is applied once (default
 *                                seven days)
 */
@ConfigurationProperties("ordersaga.inventory")
public record InventoryProperties(Long retentionMs, Long retentionScanIntervalMs, Long adjustmentDedupMs) {

    /** @throws IllegalArgumentException when a duration is not positive, so the service does not start */
    public InventoryProperties {
        config(InventoryTopology.Config.defaults(), retentionMs, retentionScanIntervalMs, adjustmentDedupMs);
    }

    /** The topology's configuration: these settings over the defaults. */
    public InventoryTopology.Config config() {
        return config(InventoryTopology.Config.defaults(), retentionMs, retentionScanIntervalMs, adjustmentDedupMs);
    }

    private static InventoryTopology.Config config(InventoryTopology.Config defaults, Long retentionMs, Long scanIntervalMs, Long dedupMs) {
        return new InventoryTopology.Config(defaults.reservations().with(retentionMs, scanIntervalMs), defaults.adjustments().with(dedupMs, scanIntervalMs));
    }
}
