package io.ordersaga.common.testing;

import io.ordersaga.common.StreamsDefaults;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.errors.LogAndFailProcessingExceptionHandler;

import java.nio.file.Path;
import java.util.Properties;

/**
 * What the Streams services' TopologyTestDriver tests share: production Streams settings with a fail-fast processing
 * error handler, and counting a changelog's tombstones. {@link TopologyHarness} builds drivers with them.
 */
public final class StreamsTestSupport {

    private StreamsTestSupport() {
    }

    /**
     * {@link StreamsDefaults#properties} for one instance with replication 1 and the default commit interval
     * ({@value StreamsDefaults#COMMIT_INTERVAL_MS} ms), except that a processing error fails the test (the handler
     * rethrows it out of {@code pipeInput}) instead of going to the dead-letter topic.
     *
     * @param applicationId the Streams application.id, also the prefix of the changelog topics
     * @param stateDir      directory of the RocksDB stores
     */
    public static Properties properties(String applicationId, Path stateDir) {
        Properties properties = StreamsDefaults.properties(applicationId, "unused:9092", stateDir.toString(), null, 1,
                StreamsDefaults.COMMIT_INTERVAL_MS);
        properties.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndFailProcessingExceptionHandler.class);
        return properties;
    }

    /** Reads every record the changelog got since the last read and returns how many were tombstones (null values). */
    public static long tombstones(TestOutputTopic<String, byte[]> changelog) {
        return changelog.readValuesToList().stream().filter(value -> value == null).count();
    }
}
