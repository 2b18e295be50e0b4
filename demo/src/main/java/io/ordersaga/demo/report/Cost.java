package io.ordersaga.demo.report;

import java.util.Map;

/**
 * What a replay cost, as {@link CostMeter} measured it between the replay's first POST and its last terminal state.
 *
 * @param cpuSeconds           machine-wide busy CPU time, s (every process: services, broker, registry, client); -1
 *                             when {@code /proc/stat} could not be read
 * @param cpuMsPerOrder        {@code cpuSeconds} per order replayed, ms; -1 likewise
 * @param wallMs               the time measured over, ms
 * @param gcMs                 this JVM's garbage-collection time, ms (in the single-JVM demo: everything but the
 *                             registry)
 * @param records              records appended to the application's topics (its own, and Kafka Streams' changelog
 *                             and repartition topics), transaction markers included; -1 when Kafka was not asked
 * @param recordsPerOrder      {@code records} per order; -1 likewise
 * @param kafkaInternalRecords records appended to Kafka's own topics ({@code __consumer_offsets},
 *                             {@code __transaction_state}): offset commits and transaction state; -1 likewise
 * @param kafkaInternalPerOrder {@code kafkaInternalRecords} per order; -1 likewise
 * @param recordsByTopic       records appended per topic, every topic that got any, most first; empty when Kafka was
 *                             not asked
 */
public record Cost(double cpuSeconds, double cpuMsPerOrder, long wallMs, long gcMs, long records, double recordsPerOrder,
                   long kafkaInternalRecords, double kafkaInternalPerOrder, Map<String, Long> recordsByTopic) {
}
