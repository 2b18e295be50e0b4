package io.ordersaga.common;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.BranchedKStream;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One Kafka topic of the saga: its name, what its String key is, and the Avro type of its values.
 * Declared once, in {@link Topics}; every producer, consumer and topology takes its serdes from here.
 *
 * @param name      the topic's name, named for what it carries
 * @param keyedBy   what the record key is (for example {@code "productId"}); records are partitioned by it
 * @param valueType the generated Avro class of every value
 * @param compacted true for a changelog-like topic whose latest value per key is the truth (cleanup.policy=compact)
 * @param <V>       the value type
 */
public record Topic<V extends SpecificRecord>(String name, String keyedBy, Class<V> valueType, boolean compacted) {

    /** The key serde: keys are UTF-8 strings on every topic. */
    public Serde<String> keySerde() {
        return Serdes.String();
    }

    /**
     * A new value serde for this topic. A new instance on each call, because one Apicurio serializer
     * instance registers a schema under the first topic it writes to only (Apicurio's serializer caches the
     * artifact it resolved, by the TopicIdStrategy of its first topic).
     */
    public Serde<V> valueSerde(EventSerdes serdes) {
        return serdes.forValue(valueType);
    }

    /** {@link Consumed} with this topic's serdes, for {@code StreamsBuilder.stream/table}. */
    public Consumed<String, V> consumed(EventSerdes serdes) {
        return Consumed.with(keySerde(), valueSerde(serdes)).withName(name + "-source");
    }

    /** The topic as a source stream of {@code builder}, with this topic's serdes (source node {@code <name>-source}). */
    public KStream<String, V> stream(StreamsBuilder builder, EventSerdes serdes) {
        return builder.stream(name, consumed(serdes));
    }

    /**
     * Writes {@code stream} to this topic with this topic's serdes, each record's value being {@code value} of it
     * (node {@code <name>-value}, then sink {@code <name>-sink}).
     *
     * @throws ClassCastException (from the stream thread) when {@code value} gives another type than {@link #valueType}
     */
    public <T> void to(KStream<String, T> stream, Function<? super T, ?> value, EventSerdes serdes) {
        stream.mapValues(record -> valueType.cast(value.apply(record)), Named.as(name + "-value")).to(name, produced(serdes));
    }

    /**
     * Routes each record of {@code stream} to the topic {@code topicOf} names for it, among {@code topics} (one
     * branch each, named {@code <prefix><topic>}), its value being {@code valueOf} of it.
     *
     * @throws org.apache.kafka.streams.errors.StreamsException (from the stream thread) for a record whose topic is
     *                                                          not among {@code topics}
     */
    public static <T> void route(KStream<String, T> stream, String prefix, List<Topic<?>> topics,
                                 Function<? super T, Topic<?>> topicOf, Function<? super T, ?> valueOf, EventSerdes serdes) {
        BranchedKStream<String, T> routes = stream.split(Named.as(prefix));
        for (Topic<?> topic : topics) {
            routes.branch((key, record) -> topicOf.apply(record) == topic,
                    Branched.withConsumer(records -> topic.to(records, valueOf, serdes), topic.name()));
        }
        routes.noDefaultBranch();
    }

    /** {@link Produced} with this topic's serdes, for {@code KStream.to}. */
    public Produced<String, V> produced(EventSerdes serdes) {
        return Produced.with(keySerde(), valueSerde(serdes)).withName(name + "-sink");
    }

    /**
     * The topic as KafkaAdmin creates it.
     *
     * @param partitions        partition count; every topic a saga task reads together must have the same one
     * @param replicationFactor replicas per partition (1 on the single-node local stack)
     */
    public NewTopic newTopic(int partitions, short replicationFactor) {
        NewTopic topic = new NewTopic(name, partitions, replicationFactor);
        return compacted ? topic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)) : topic;
    }
}
