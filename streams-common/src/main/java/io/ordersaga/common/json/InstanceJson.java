package io.ordersaga.common.json;

/**
 * The JSON of {@code GET /instance} on every Streams service: one instance's Kafka Streams client, as the operations
 * page shows it.
 *
 * @param application  the Streams application.id
 * @param instance     the instance's {@code application.server}, host:port
 * @param state        the client's state (RUNNING, REBALANCING, ERROR, ...; NOT_CREATED before it exists)
 * @param activeTasks  tasks this instance processes (one per input partition group)
 * @param standbyTasks standby tasks it keeps warm (0 while {@code num.standby.replicas} is 0)
 * @param lag          records its main consumers have yet to read on their assigned input partitions (the sum of
 *                     the consumers' {@code records-lag} metrics), -1 while no partition reports one
 * @param failure      the last stream-thread failure, while the client counts as degraded; null otherwise
 */
public record InstanceJson(String application, String instance, String state, int activeTasks, int standbyTasks,
                           long lag, String failure) {
}
