package io.ordersaga.common.testing;

import io.ordersaga.common.StreamsDefaults;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestOutputTopic;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the Streams services' TopologyTestDriver tests share: the production Streams settings, and counting a
 * changelog's tombstones, reading the one record a command answered. {@link TopologyHarness} builds drivers with them.
 */
public final class StreamsTestSupport {

    private StreamsTestSupport() {
    }

    /**
     * {@link StreamsDefaults#properties} for one instance with replication 1 and the default commit interval
     * ({@value StreamsDefaults#COMMIT_INTERVAL_MS} ms): the production settings, exception handlers included, so a
     * poison record goes to the dead-letter topic as in production, and any other processing error fails the test
     * (the handler rethrows it out of {@code pipeInput}).
     *
     * @param applicationId the Streams application.id, also the prefix of the changelog topics
     * @param stateDir      directory of the RocksDB stores
     */
    public static Properties properties(String applicationId, Path stateDir) {
        return StreamsDefaults.properties(applicationId, "unused:9092", stateDir.toString(), null, 1,
                StreamsDefaults.COMMIT_INTERVAL_MS);
    }

    /** Reads every record the topic got since the last read and returns the only one; fails unless there is exactly one. */
    public static <V> KeyValue<String, V> onlyRecord(TestOutputTopic<String, V> topic) {
        List<KeyValue<String, V>> all = topic.readKeyValuesToList();
        assertThat(all).as("one record on " + topic).hasSize(1);
        return all.getFirst();
    }

    /** Reads every record the topic got since the last read and returns the value of the only one; fails unless there is exactly one. */
    public static <V> V onlyValue(TestOutputTopic<String, V> topic) {
        return onlyRecord(topic).value;
    }

    /** Reads every record the changelog got since the last read and returns how many were tombstones (null values). */
    public static long tombstones(TestOutputTopic<String, byte[]> changelog) {
        return changelog.readValuesToList().stream().filter(value -> value == null).count();
    }
}
