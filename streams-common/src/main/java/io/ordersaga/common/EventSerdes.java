package io.ordersaga.common;

import io.apicurio.registry.serde.avro.AvroSerde;
import io.apicurio.registry.serde.config.SerdeConfig;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;

/**
 * Makes the Avro value serdes of topics and state stores.
 *
 * <p>{@link #registry(String)} is what runs: Apicurio's serde, Confluent wire format (magic byte 0, 4-byte
 * schema id, Avro binary), schemas registered under {@code <topic>-value} (TopicIdStrategy), values read
 * back as the generated classes. {@link #unregistered()} writes bare Avro binary with no registry, for
 * TopologyTestDriver tests only.
 */
public interface EventSerdes {

    /** Package whose generated classes Avro 1.12.2's ClassSecurityValidator must trust. */
    String EVENTS_PACKAGE = "io.ordersaga.events";

    /**
     * A new value serde for {@code type}; one per topic or store (a shared Apicurio serializer registers
     * a schema under the first subject only).
     *
     * <p>The deserializer throws {@link WrongTypeException} for a value whose schema id names a record of another
     * type, and, for the registry serdes, whatever Apicurio throws (see {@link PoisonRecordDeserializationHandler}).
     */
    <V extends SpecificRecord> Serde<V> forValue(Class<V> type);

    /**
     * Serdes backed by the registry.
     *
     * @param registryUrl base URL of the registry, for example {@code http://127.0.0.1:8081}; the serde
     *                    talks to its {@code /apis/registry/v3} API
     */
    static EventSerdes registry(String registryUrl) {
        trustEventClasses();
        Map<String, Object> config = Map.of(
                SerdeConfig.REGISTRY_URL, registryUrl.replaceAll("/+$", "") + "/apis/registry/v3",
                SerdeConfig.AUTO_REGISTER_ARTIFACT, true,
                // One self-contained schema per subject, as SchemaRegistration registers it, rather than
                // nested records (union branches, array items) split out as subjects of their own.
                "apicurio.registry.dereference-schema", true,
                "apicurio.registry.use-specific-avro-reader", true,
                "apicurio.registry.avro-datum-provider", CachedDatumProvider.class.getName(),
                // Apicurio's schema resolver keeps what it looked up in a cache whose entries expire after
                // apicurio.registry.check-period-ms (default 30 s); an expired entry is looked up again. With
                // this on, a failed refresh logs the error and answers the expired (stale) entry instead of
                // throwing, so a registry outage cannot fail a lookup the resolver had already answered. It
                // changes nothing for an id this serde never resolved: that lookup still fails, and the
                // exception handlers fail the task rather than skip the record. (Apicurio 3.1.7's serializer
                // and deserializer also keep a per-instance cache in front of the resolver that never expires.)
                SerdeConfig.FAULT_TOLERANT_REFRESH, true);
        return new EventSerdes() {
            @Override
            public <V extends SpecificRecord> Serde<V> forValue(Class<V> type) {
                AvroSerde<V> serde = new AvroSerde<>();
                serde.configure(config, false);
                return Serdes.serdeFrom(serde.serializer(), new TypeCheckingDeserializer<>(type, serde.deserializer()));
            }
        };
    }

    /** Bare Avro binary with the generated class's own schema and no registry: for TopologyTestDriver tests. */
    static EventSerdes unregistered() {
        trustEventClasses();
        return new EventSerdes() {
            @Override
            public <V extends SpecificRecord> Serde<V> forValue(Class<V> type) {
                var schema = SpecificData.get().getSchema(type);
                var writer = new SpecificDatumWriter<V>(schema);
                var reader = new SpecificDatumReader<V>(schema);
                return Serdes.serdeFrom((topic, value) -> {
                    if (value == null) {
                        return null;
                    }
                    try {
                        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
                        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
                        writer.write(value, encoder);
                        return out.toByteArray();
                    } catch (IOException e) {
                        throw new SerializationException("Cannot write " + type.getSimpleName(), e);
                    }
                }, (topic, bytes) -> {
                    if (bytes == null) {
                        return null;
                    }
                    try {
                        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
                        return reader.read(null, decoder);
                    } catch (IOException | RuntimeException e) {
                        throw new SerializationException("Cannot read " + type.getSimpleName() + " from " + topic, e);
                    }
                });
            }
        };
    }

    /**
     * Thrown when a value's schema id names a record type other than the topic's: valid Avro of the wrong schema.
     * Apicurio's specific reader reads the bytes into the class their writer schema names, whatever type the serde
     * was made for, so without this check the value would reach a processor as an object of the wrong class.
     */
    final class WrongTypeException extends SerializationException {

        /** @param message names the topic, the expected type and the type the value was written as */
        public WrongTypeException(String message) {
            super(message);
        }
    }

    /**
     * Apicurio's deserializer, checking that what it read is of the type the serde was made for.
     *
     * @param type      the topic's or store's value type
     * @param delegate  Apicurio's deserializer
     * @param <V>       the value type
     */
    record TypeCheckingDeserializer<V extends SpecificRecord>(Class<V> type, Deserializer<V> delegate)
            implements Deserializer<V> {

        /** Throws {@link WrongTypeException} for a value of another type. */
        @Override
        public V deserialize(String topic, byte[] data) {
            return checked(topic, delegate.deserialize(topic, data));
        }

        /** Throws {@link WrongTypeException} for a value of another type. */
        @Override
        public V deserialize(String topic, Headers headers, byte[] data) {
            return checked(topic, delegate.deserialize(topic, headers, data));
        }

        /** Closes Apicurio's deserializer. */
        @Override
        public void close() {
            delegate.close();
        }

        private V checked(String topic, Object value) {
            if (value == null || type.isInstance(value)) {
                return type.cast(value);
            }
            throw new WrongTypeException("a value of " + topic + " was written as " + value.getClass().getName()
                    + ", not " + type.getName());
        }
    }

    /**
     * Lets Avro 1.12.2 instantiate the generated event classes without a JVM flag: adds
     * "classes of {@link #EVENTS_PACKAGE}" to whatever the JVM already trusts. Idempotent.
     */
    private static void trustEventClasses() {
        synchronized (EventSerdes.class) {
            ClassSecurityValidator.ClassSecurityPredicate current = ClassSecurityValidator.getGlobal();
            if (!current.isTrusted(io.ordersaga.events.OrderEvent.class)) {
                ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(current,
                        type -> type.getName().startsWith(EVENTS_PACKAGE + ".")));
            }
        }
    }
}
