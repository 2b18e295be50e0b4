package io.ordersaga.common.spring;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class InstanceControllerTest {

    private static final String CLIENT = "inventory-streams-5f1c-StreamThread-1";

    private final Map<MetricName, Metric> metrics = new HashMap<>();

    private void metric(String group, String name, String clientId, String partition, Object value) {
        Map<String, String> tags = new HashMap<>(Map.of("client-id", clientId, "topic", "inventory-commands"));
        if (partition != null) {
            tags.put("partition", partition);
        }
        MetricName metricName = new MetricName(name, group, "", tags);
        metrics.put(metricName, new Metric() {
            @Override
            public MetricName metricName() {
                return metricName;
            }

            @Override
            public Object metricValue() {
                return value;
            }
        });
    }

    @Test
    void lagSumsTheMainConsumersPartitionsOnly() {
        metric("consumer-fetch-manager-metrics", "records-lag", CLIENT + "-consumer", "0", 5.0);
        metric("consumer-fetch-manager-metrics", "records-lag", CLIENT + "-consumer", "1", 7.0);
        metric("consumer-fetch-manager-metrics", "records-lag", CLIENT + "-consumer", "2", Double.NaN);
        metric("consumer-fetch-manager-metrics", "records-lag", CLIENT + "-restore-consumer", "0", 1000.0);
        metric("consumer-fetch-manager-metrics", "records-lag", "inventory-streams-5f1c-global-consumer", "0", 1000.0);
        metric("consumer-fetch-manager-metrics", "records-lag-max", CLIENT + "-consumer", null, 1000.0);
        metric("consumer-fetch-manager-metrics", "records-lag-avg", CLIENT + "-consumer", "0", 1000.0);
        metric("producer-metrics", "records-lag", CLIENT + "-producer", "0", 1000.0);

        assertThat(InstanceController.lag(metrics)).isEqualTo(12);
    }

    @Test
    void lagIsMinusOneBeforeAnyPartitionReportsOne() {
        metric("consumer-fetch-manager-metrics", "records-lag", CLIENT + "-consumer", "0", Double.NaN);
        metric("consumer-fetch-manager-metrics", "records-lag-max", CLIENT + "-consumer", null, 3.0);

        assertThat(InstanceController.lag(metrics)).isEqualTo(-1);
    }
}
