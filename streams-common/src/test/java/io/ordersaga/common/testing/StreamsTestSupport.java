package io.ordersaga.common.testing;

import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.StreamsDefaults;
import io.ordersaga.common.Topic;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.LogAndFailProcessingExceptionHandler;

import java.nio.file.Path;
import java.util.Properties;

/**
 * What the Streams services' TopologyTestDriver tests share: production Streams settings with a fail-fast processing
 * error handler, the catalogue's topics as test topics, and the changelog of a state store with its tombstones.
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

    /** The catalogue topic as a driver input, String key, value serialized with serdes. */
    public static <V extends SpecificRecord> TestInputTopic<String, V> input(TopologyTestDriver driver, Topic<V> topic,
                                                                             EventSerdes serdes) {
        return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde(serdes).serializer());
    }

    /** The catalogue topic as a driver output, String key, value deserialized with serdes. */
    public static <V extends SpecificRecord> TestOutputTopic<String, V> output(TopologyTestDriver driver, Topic<V> topic,
                                                                               EventSerdes serdes) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(), topic.valueSerde(serdes).deserializer());
    }

    /**
     * The store's changelog topic as Kafka Streams names it ({@code <applicationId>-<store>-changelog}); values left
     * as bytes, as only tombstones are counted.
     */
    public static TestOutputTopic<String, byte[]> changelog(TopologyTestDriver driver, String applicationId, String store) {
        return driver.createOutputTopic(applicationId + "-" + store + "-changelog", new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    /** Reads every record the changelog got since the last read and returns how many were tombstones (null values). */
    public static long tombstones(TestOutputTopic<String, byte[]> changelog) {
        return changelog.readValuesToList().stream().filter(value -> value == null).count();
    }
}
