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

    /**
     * The topology's configuration: these settings over the defaults. Called once when the service builds its
     * topology, so a bad setting stops the start.
     *
     * @throws IllegalArgumentException when a duration is not positive
     */
    public InventoryTopology.Config config() {
        InventoryTopology.Config defaults = InventoryTopology.Config.defaults();
        return new InventoryTopology.Config(defaults.reservations().with(retentionMs, retentionScanIntervalMs),
                defaults.adjustments().with(adjustmentDedupMs, retentionScanIntervalMs));
    }
}
