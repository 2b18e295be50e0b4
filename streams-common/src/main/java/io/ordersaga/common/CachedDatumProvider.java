package io.ordersaga.common;

import io.apicurio.registry.serde.avro.DefaultAvroDatumProvider;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Apicurio's default Avro datum provider, with its writers and readers cached by {@link Schema} instead of
 * by the schema's parsing fingerprint. The default computes that fingerprint (canonical form plus a
 * 64-bit hash) for every record written and read; a {@link Schema} caches its own hash code and compares
 * equal to itself at once, and the serde hands over the same instances every time (the generated class's
 * schema when writing, the resolver's cached schema when reading), so a lookup here costs a map probe.
 * The caches hold one entry per schema version met, like the default's.
 *
 * <p>Configured by {@link EventSerdes#registry(String)} as {@code apicurio.registry.avro-datum-provider}.
 *
 * @param <T> the record type
 */
public class CachedDatumProvider<T> extends DefaultAvroDatumProvider<T> {

    private final Map<Schema, DatumWriter<T>> writers = new ConcurrentHashMap<>();
    private final Map<Schema, DatumReader<T>> readers = new ConcurrentHashMap<>();

    /** The writer of records of {@code schema}, created once per schema. */
    @Override
    public DatumWriter<T> createDatumWriter(T data, Schema schema) {
        return writers.computeIfAbsent(schema, s -> super.createDatumWriter(data, s));
    }

    /** The reader of data written with {@code schema} (into the generated class), created once per schema. */
    @Override
    public DatumReader<T> createDatumReader(Schema schema) {
        return readers.computeIfAbsent(schema, super::createDatumReader);
    }
}
