package io.ordersaga.demo.report;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Measures what a replay costs: machine-wide CPU time from {@code /proc/stat} (every process on the machine: the
 * services, the broker, the registry and this client alike; busy = user + nice + system + irq + softirq + steal, in
 * the kernel's clock ticks of 10 ms), this JVM's GC time (its collectors' MXBeans), and the records written to Kafka
 * (the sum of every partition's log end offset over every topic, internal ones included, read with an Admin
 * client). A log end offset counts every record appended, transaction markers included: each committed
 * transaction adds one marker to every partition it wrote.
 *
 * <p>{@link #start} takes the first reading, {@link Reading#cost} the second and the difference.
 */
public final class CostMeter {

    private static final Path PROC_STAT = Path.of("/proc/stat");
    private static final double SECONDS_PER_TICK = 0.01;
    private static final long ADMIN_TIMEOUT_MS = 10_000;

    private CostMeter() {
    }

    /**
     * The first reading.
     *
     * @param bootstrapServers the Kafka cluster whose records are counted; empty to count none
     */
    public static Reading start(Optional<String> bootstrapServers) {
        return new Reading(bootstrapServers, busyTicks(), gcMs(), endOffsets(bootstrapServers), System.nanoTime());
    }

    /**
     * One reading of the counters.
     *
     * @param bootstrapServers the cluster whose records are counted, if any
     * @param busyTicks        machine-wide busy CPU ticks since boot, or -1 when {@code /proc/stat} cannot be read
     * @param gcMs             this JVM's collection time since it started, ms
     * @param endOffsets       the sum of log end offsets of every topic by topic, or empty when not counted
     * @param nanoTime         {@link System#nanoTime()} at the reading
     */
    public record Reading(Optional<String> bootstrapServers, long busyTicks, long gcMs, Optional<Map<String, Long>> endOffsets,
                          long nanoTime) {

        /**
         * The second reading, and what passed between the two.
         *
         * @param orders the orders replayed between the readings, &gt;= 1
         * @return the cost; its CPU figures are -1 where {@code /proc/stat} could not be read, its record counts -1
         *         where Kafka could not be asked
         */
        public Cost cost(int orders) {
            long ticks = CostMeter.busyTicks();
            Optional<Map<String, Long>> after = CostMeter.endOffsets(bootstrapServers);
            double cpuSeconds = ticks < 0 || busyTicks < 0 ? -1 : (ticks - busyTicks) * SECONDS_PER_TICK;
            long records = -1;
            long kafkaInternal = -1;
            Map<String, Long> byTopic = new LinkedHashMap<>();
            if (after.isPresent() && endOffsets.isPresent()) {
                records = 0;
                kafkaInternal = 0;
                after.get().entrySet().stream()
                        .map(t -> Map.entry(t.getKey(), t.getValue() - endOffsets.get().getOrDefault(t.getKey(), 0L)))
                        .filter(t -> t.getValue() > 0).sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                        .forEach(t -> byTopic.put(t.getKey(), t.getValue()));
                for (Map.Entry<String, Long> topic : byTopic.entrySet()) {
                    long written = topic.getValue();
                    if (topic.getKey().startsWith("__")) {
                        kafkaInternal += written;
                    } else {
                        records += written;
                    }
                }
            }
            int n = Math.max(1, orders);
            return new Cost(cpuSeconds, cpuSeconds < 0 ? -1 : cpuSeconds * 1000 / n,
                    (System.nanoTime() - nanoTime) / 1_000_000, CostMeter.gcMs() - gcMs, records,
                    records < 0 ? -1 : (double) records / n, kafkaInternal, kafkaInternal < 0 ? -1 : (double) kafkaInternal / n,
                    byTopic);
        }
    }

    /** Machine-wide busy ticks since boot (the "cpu" line of /proc/stat), or -1 when it cannot be read. */
    private static long busyTicks() {
        try {
            String cpu = Files.readAllLines(PROC_STAT).getFirst();
            long[] f = Arrays.stream(cpu.trim().split("\\s+")).skip(1).mapToLong(Long::parseLong).toArray();
            // user nice system idle iowait irq softirq steal ...
            return f[0] + f[1] + f[2] + f[5] + f[6] + (f.length > 7 ? f[7] : 0);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long gcMs() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).filter(t -> t > 0).sum();
    }

    /** Sum of log end offsets per topic (internal topics included), or empty when the cluster cannot be asked. */
    private static Optional<Map<String, Long>> endOffsets(Optional<String> bootstrapServers) {
        if (bootstrapServers.isEmpty()) {
            return Optional.empty();
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers.get(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT_MS,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT_MS))) {
            Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true)).names()
                    .get(ADMIN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get(ADMIN_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                    .forEach((name, description) -> description.partitions()
                            .forEach(p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
            return Optional.of(admin.listOffsets(latest).all().get(ADMIN_TIMEOUT_MS, TimeUnit.MILLISECONDS).entrySet()
                    .stream().collect(Collectors.groupingBy(e -> e.getKey().topic(),
                            Collectors.summingLong(e -> e.getValue().offset()))));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return Optional.empty();
        }
    }
}
