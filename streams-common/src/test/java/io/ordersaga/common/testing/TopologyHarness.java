package io.ordersaga.common.testing;

import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.Store;
import io.ordersaga.common.Topic;
import io.ordersaga.common.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One Streams application's topology in a TopologyTestDriver, as every topology test of the project builds it: the
 * production Streams properties ({@link StreamsTestSupport#properties}: exactly_once_v2, {@code max.task.idle.ms=-1},
 * the commit interval, a fail-fast processing handler), values in bare Avro ({@link EventSerdes#unregistered()}), and
 * the catalogue's topics, stores, changelogs and the dead-letter topic by their declared names. The wall clock starts
 * at {@code start} and moves only with {@link #advanceWallClock}.
 */
public final class TopologyHarness implements AutoCloseable {

    private final EventSerdes serdes = EventSerdes.unregistered();
    private final String applicationId;
    private final TopologyTestDriver driver;
    private final Map<Topic<?>, TestInputTopic<String, ?>> inputs = new HashMap<>();
    private final Map<Topic<?>, TestOutputTopic<String, ?>> outputs = new HashMap<>();

    /**
     * @param applicationId the Streams application.id, also the prefix of its changelogs and its dead-letter topic
     * @param topology      the application's topology, built with {@link EventSerdes#unregistered()}
     * @param stateDir      directory of the RocksDB stores
     * @param start         the wall-clock time the driver starts at
     */
    public TopologyHarness(String applicationId, Topology topology, Path stateDir, Instant start) {
        this.applicationId = applicationId;
        this.driver = new TopologyTestDriver(topology, StreamsTestSupport.properties(applicationId, stateDir), start);
    }

    /**
     * The catalogue topic as an input, String key, value in bare Avro; the same one on every call, so a test or driver
     * may ask for it where it pipes a record instead of keeping it in a field.
     */
    @SuppressWarnings("unchecked")
    public <V extends SpecificRecord> TestInputTopic<String, V> input(Topic<V> topic) {
        return (TestInputTopic<String, V>) inputs.computeIfAbsent(topic, t ->
                driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde(serdes).serializer()));
    }

    /**
     * The catalogue topic as an output, String key, value in bare Avro; the same one on every call (what it has read
     * is read for every caller, as records are read off the driver's one queue per topic).
     */
    @SuppressWarnings("unchecked")
    public <V extends SpecificRecord> TestOutputTopic<String, V> output(Topic<V> topic) {
        return (TestOutputTopic<String, V>) outputs.computeIfAbsent(topic, t ->
                driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(), topic.valueSerde(serdes).deserializer()));
    }

    /** Any topic as an input of raw bytes: for poison records, or records routed from another harness. */
    public TestInputTopic<String, byte[]> rawInput(String topic) {
        return driver.createInputTopic(topic, new StringSerializer(), new ByteArraySerializer());
    }

    /** Any topic as an output of raw bytes. */
    public TestOutputTopic<String, byte[]> rawOutput(String topic) {
        return driver.createOutputTopic(topic, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** The application's key-value store {@code store}. */
    public <V> KeyValueStore<String, V> store(Store<V> store) {
        return driver.getKeyValueStore(store.name());
    }

    /** Every entry of the application's key-value store {@code store}, by key in key order. */
    public <V> SortedMap<String, V> contents(Store<V> store) {
        SortedMap<String, V> contents = new TreeMap<>();
        try (KeyValueIterator<String, V> all = store(store).all()) {
            all.forEachRemaining(entry -> contents.put(entry.key, entry.value));
        }
        return contents;
    }

    /**
     * The store's changelog topic as Kafka Streams names it ({@code <applicationId>-<store>-changelog}); values left
     * as bytes, as only tombstones are counted ({@link StreamsTestSupport#tombstones}).
     */
    public TestOutputTopic<String, byte[]> changelog(Store<?> store) {
        return rawOutput(applicationId + "-" + store.name() + "-changelog");
    }

    /** The application's dead-letter topic ({@link Topics#deadLetters}), raw. */
    public TestOutputTopic<String, byte[]> deadLetters() {
        return rawOutput(Topics.deadLetters(applicationId));
    }

    /** Moves the wall clock by {@code by}; wall-clock punctuators that are due run. */
    public void advanceWallClock(Duration by) {
        driver.advanceWallClockTime(by);
    }

    /** The driver itself, for what this class does not cover. */
    public TopologyTestDriver driver() {
        return driver;
    }

    /** Closes the driver (and its stores). */
    @Override
    public void close() {
        driver.close();
    }
}
