package io.ordersaga.api;

import java.util.List;

/**
 * Every Streams service's instances, asked for their own state ({@code GET /instance}) by
 * {@code GET /admin/instances}, over a client whose read timeout is {@link ApiConfiguration#STATUS_TIMEOUT}: a
 * stopped or paused instance shows as unreachable within it rather than holding the operations page.
 *
 * @param services inventory-streams, payment-streams, order-saga-streams and order-view-streams
 */
public record InstanceStatuses(List<ServiceInstances> services) {
}
