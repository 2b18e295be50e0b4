package io.ordersaga.common.spring;

import io.ordersaga.common.StreamThreadRecovery;
import io.ordersaga.common.json.InstanceJson;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * {@code GET /instance} on every Streams service: this instance's client ({@link InstanceJson}), for order-api's
 * {@code GET /admin/instances} and the operations page. Cheap: it reads the client's state and metrics in memory.
 */
@RestController
public class InstanceController {

    private final StreamsBuilderFactoryBean factory;
    private final StreamThreadRecovery recovery;
    private final String applicationId;
    private final String instance;

    /**
     * @param factory       spring-kafka's factory of the client
     * @param recovery      the client's uncaught exception handler, for the last failure
     * @param applicationId the Streams application.id
     * @param instance      this instance's {@code application.server}, host:port
     */
    public InstanceController(StreamsBuilderFactoryBean factory, StreamThreadRecovery recovery, String applicationId,
                              String instance) {
        this.factory = factory;
        this.recovery = recovery;
        this.applicationId = applicationId;
        this.instance = instance;
    }

    /** This instance's client now. */
    @GetMapping("/instance")
    public InstanceJson instance() {
        KafkaStreams streams = factory.getKafkaStreams();
        String failure = recovery.degraded().map(StreamThreadRecovery.Failure::error).orElse(null);
        if (streams == null) {
            return new InstanceJson(applicationId, instance, "NOT_CREATED", 0, 0, -1, failure);
        }
        int active = 0;
        int standby = 0;
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            active += thread.activeTasks().size();
            standby += thread.standbyTasks().size();
        }
        return new InstanceJson(applicationId, instance, streams.state().name(), active, standby,
                lag(streams.metrics()), failure);
    }

    /**
     * The records the client's main consumers have yet to read: the sum of their per-partition
     * {@code consumer-fetch-manager-metrics} {@code records-lag}, leaving out the restore and global consumers
     * (whose client ids end in {@code -restore-consumer} and {@code -global-consumer}); -1 when no partition has a
     * figure yet.
     */
    static long lag(Map<MetricName, ? extends Metric> metrics) {
        long sum = 0;
        boolean any = false;
        for (Map.Entry<MetricName, ? extends Metric> entry : metrics.entrySet()) {
            MetricName name = entry.getKey();
            String client = name.tags().getOrDefault("client-id", "");
            if (name.name().equals("records-lag") && name.group().equals("consumer-fetch-manager-metrics")
                    && name.tags().containsKey("partition") && client.endsWith("-consumer")
                    && !client.endsWith("-restore-consumer") && !client.endsWith("-global-consumer")
                    && entry.getValue().metricValue() instanceof Double value && !value.isNaN()) {
                sum += value.longValue();
                any = true;
            }
        }
        return any ? sum : -1;
    }
}
