package io.ordersaga.common;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

import java.util.Map;

/**
 * One Kafka topic of the saga: its name, what its String key is, and the Avro type of its values.
 * Declared once, in {@link Topics}; every producer, consumer and topology takes its serdes from here.
 *
 * @param name      the topic's name, named for what it carries
 * @param key       what the record key is (for example {@code "productId"}); records are partitioned by it
 * @param valueType the generated Avro class of every value
 * @param compacted true for a changelog-like topic whose latest value per key is the truth (cleanup.policy=compact)
 * @param <V>       the value type
 */
public record Topic<V extends SpecificRecord>(String name, String key, Class<V> valueType, boolean compacted) {

    /** The key serde: keys are UTF-8 strings on every topic. */
    public Serde<String> keySerde() {
        return Serdes.String();
    }

    /**
     * A new value serde for this topic. A new instance on each call, because one Apicurio serializer
     * instance registers a schema under the first topic it writes to only (recipe pitfall 5).
     */
    public Serde<V> valueSerde(EventSerdes serdes) {
        return serdes.forValue(valueType);
    }

    /** {@link Consumed} with this topic's serdes, for {@code StreamsBuilder.stream/table}. */
    public Consumed<String, V> consumed(EventSerdes serdes) {
        return Consumed.with(keySerde(), valueSerde(serdes)).withName(name + "-source");
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
