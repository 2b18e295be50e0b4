package io.ordersaga.common;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.util.function.Function;

/**
 * One key-value state store of a topology, declared once with its name and value type (keys are Strings): the same
 * declaration builds it ({@link #builder} for the Processor API, {@link #materialized} for the DSL), opens it in a
 * processor ({@link #in}), and names it for interactive queries and tests. Every store is persistent (RocksDB),
 * cached, and logged to its compacted changelog {@code <application.id>-<name>-changelog}.
 *
 * @param <V> the value type
 */
public final class Store<V> {

    private final String name;
    private final Function<EventSerdes, Serde<V>> valueSerde;

    private Store(String name, Function<EventSerdes, Serde<V>> valueSerde) {
        this.name = name;
        this.valueSerde = valueSerde;
    }

    /** A store of Avro values of {@code type}, serialized with the application's {@link EventSerdes}. */
    public static <V extends SpecificRecord> Store<V> avro(String name, Class<V> type) {
        return new Store<>(name, serdes -> serdes.forValue(type));
    }

    /** A store of String values. */
    public static Store<String> strings(String name) {
        return new Store<>(name, serdes -> Serdes.String());
    }

    /** A store of Long values (for example an epoch ms). */
    public static Store<Long> longs(String name) {
        return new Store<>(name, serdes -> Serdes.Long());
    }

    /** The store's name: in its changelog topic's name, in interactive queries and in topology descriptions. */
    public String name() {
        return name;
    }

    /** A new value serde (one per store: Apicurio registers a schema under the first subject it writes to only). */
    public Serde<V> valueSerde(EventSerdes serdes) {
        return valueSerde.apply(serdes);
    }

    /** The store for {@code StreamsBuilder.addStateStore}: persistent, cached, logged. */
    public StoreBuilder<KeyValueStore<String, V>> builder(EventSerdes serdes) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), valueSerde(serdes))
                .withCachingEnabled();
    }

    /** The store as a DSL table's {@link Materialized} (persistent, logged; caching as the DSL defaults it). */
    public Materialized<String, V, KeyValueStore<Bytes, byte[]>> materialized(EventSerdes serdes) {
        return Materialized.<String, V, KeyValueStore<Bytes, byte[]>>as(name)
                .withKeySerde(Serdes.String()).withValueSerde(valueSerde(serdes));
    }

    /**
     * The store as a processor connected to it sees it.
     *
     * @throws org.apache.kafka.streams.errors.StreamsException when the processor is not connected to it
     */
    public KeyValueStore<String, V> in(ProcessingContext context) {
        return context.getStateStore(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
