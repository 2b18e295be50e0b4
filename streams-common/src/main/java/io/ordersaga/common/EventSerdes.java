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
                "apicurio.registry.avro-datum-provider", CachedDatumProvider.class.getName());
        return new EventSerdes() {
            @Override
            public <V extends SpecificRecord> Serde<V> forValue(Class<V> type) {
                AvroSerde<V> serde = new AvroSerde<>();
                serde.configure(config, false);
                return serde;
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
     * Lets Avro 1.12.2 instantiate the generated event classes (recipe pitfall 3) without a JVM flag: adds
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
